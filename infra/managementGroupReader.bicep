// Optional: Reader for the app's identity on a whole management group, for tenants with more subscriptions than
// main.bicep's per-subscription loop can take (ARM allows 800 copies) or that add subscriptions often. Every
// subscription under the group, present and future, becomes readable; leave ESU_SUBSCRIPTION_IDS empty to scan them.
// Deployed on its own, by someone with the right to assign roles on the group (docs/deploy.md has the command).
targetScope = 'managementGroup'

@description('Principal (object) id of the app\'s user-assigned managed identity (azd output ESU_IDENTITY_PRINCIPAL_ID).')
param principalId string

var readerRoleDefinitionId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7' // Reader

resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, readerRoleDefinitionId)
  properties: {
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', readerRoleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'arc-esu-scanner: read Azure Arc machines and ESU licenses in every subscription of this management group'
  }
}

output roleAssignmentId string = readerAssignment.id
