// Reader on one subscription for the scanner's identity: enough to list Arc machines and ESU
// licenses, nothing more. main.bicep deploys this once per scanned subscription.
targetScope = 'subscription'

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param principalId string

var readerRoleDefinitionId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7' // Reader

resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, readerRoleDefinitionId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'arc-esu-scanner: read Azure Arc machines and ESU licenses'
  }
}

output roleAssignmentId string = readerAssignment.id
