// Storage account of the app: Functions host storage (AzureWebJobsStorage), the Flex Consumption
// deployment container, the scan-request queue and the findings / scan-run / job / license-usage / license-plan tables.
// Shared keys are disabled: every caller authenticates with Microsoft Entra ID through the role
// assignments at the end of this file.
//
// Queue and table names must match shared/config/resourceNames.ts (test/infra/infra.test.ts checks it).

@description('Storage account name: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Principal (object) id of the app\'s user-assigned managed identity.')
param identityPrincipalId string

@description('Redundancy of the account. Standard_ZRS (zone-redundant) where the region has availability zones; Standard_LRS where it has none.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_ZRS'

@description('Resource id of the Log Analytics workspace that receives the table, queue and blob logs (who read, wrote, deleted).')
param workspaceId string

@description('Principal (object) id of a developer who gets the same data roles for local debugging. Empty = none.')
param userPrincipalId string = ''

@description('Principal type of userPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param userPrincipalType string = 'User'

// Built-in data-plane roles, see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var blobDataOwnerRoleDefinitionId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner: host storage (timer leases), deployment package
var queueDataContributorRoleDefinitionId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor: the scan-request queue and its poison queue
var tableDataContributorRoleDefinitionId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor: the app's tables

// Must match RESOURCE_NAMES in shared/config/resourceNames.ts.
var queueNames = [
  'esu-scan-requests'
  // The Functions host moves messages here after maxDequeueCount failures (host.json); scanRequestPoison reads it.
  'esu-scan-requests-poison'
]
var tableNames = [
  'esufindings'
  'esuscanruns'
  'esujobs'
  'esulicenseusage'
  'esusuppressions'
  'esusubscriptions'
  'esulicenseplan'
  'esuuploadledger'
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queueName in queueNames: {
  parent: queueService
  name: queueName
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for tableName in tableNames: {
  parent: tableService
  name: tableName
}]

// The findings and the hand-entered suppressions are the source of truth: the account cannot be deleted
// (`azd down`, a deleted resource group) until someone removes this lock on purpose (docs/deploy.md).
// Data-plane calls are not affected: the app still writes and deletes rows.
resource deleteLock 'Microsoft.Authorization/locks@2020-05-01' = {
  name: 'esu-data-cannot-delete'
  scope: storage
  properties: {
    level: 'CanNotDelete'
    notes: 'arc-esu-scanner: findings and suppressions. Remove this lock before deleting the account or its resource group.'
  }
}

// The app's data roles, each on what it uses: blobs on the account (the host creates its own containers),
// queue and table roles on the app's own queues and tables only.
resource identityBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityPrincipalId, blobDataOwnerRoleDefinitionId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataOwnerRoleDefinitionId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource identityQueueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (queueName, index) in queueNames: {
  name: guid(queues[index].id, identityPrincipalId, queueDataContributorRoleDefinitionId)
  scope: queues[index]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributorRoleDefinitionId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

resource identityTableRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (tableName, index) in tableNames: {
  name: guid(tables[index].id, identityPrincipalId, tableDataContributorRoleDefinitionId)
  scope: tables[index]
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleDefinitionId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

// The developer (local debugging, only when asked) gets the three roles on the account.
var userRoleDefinitionIds = [
  blobDataOwnerRoleDefinitionId
  queueDataContributorRoleDefinitionId
  tableDataContributorRoleDefinitionId
]

resource userDataRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleDefinitionId in userRoleDefinitionIds: if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, roleDefinitionId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}]

// Who read, wrote or deleted findings, runs and suppressions; and the queue and blob traffic of the host.
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'esu-to-workspace'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'StorageRead', enabled: true }
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

resource queueDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'esu-to-workspace'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'StorageWrite', enabled: true }
      { category: 'StorageDelete', enabled: true }
    ]
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerName string = deploymentContainer.name
output findingsTableUri string = '${storage.properties.primaryEndpoints.table}${tables[0].name}'
