// arc-esu-scanner: everything `azd provision` deploys. Subscription scope so that it can create the
// resource group and grant Reader on each scanned subscription; the resources themselves live in
// modules/ (one per concern, with the role assignments next to the resource they scope).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and seeds the resource token.')
param environmentName string

@minLength(1)
@description('Region of every resource. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user (azd sets AZURE_PRINCIPAL_ID). Gets storage data roles and Service Bus Data Receiver for local debugging and `esu-scan alerts tail`. Empty = none.')
param principalId string = ''

@description('Principal type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Subscription ids on which the app identity gets Reader (and nothing more). Empty = the deployment subscription.')
param scannedSubscriptionIds array = []

@description('ESU_SCAN_SCHEDULE: NCRONTAB schedule (six fields, UTC) of the scan fan-out timer. Default: daily at 03:00.')
param esuScanSchedule string = '0 0 3 * * *'

@description('ESU_REMINDER_DAYS: days after its last message that a finding still open gets a reminder.')
@minValue(1)
param esuReminderDays int = 7

@description('ESU_SUBSCRIPTION_IDS: comma-separated subscription ids to scan. Empty = every subscription the identity can read.')
param esuSubscriptionIds string = ''

@description('SQL filter of the `critical` subscription of the remediation topic.')
param criticalSubscriptionFilter string = 'severity = \'High\''

@description('Upper bound of Flex Consumption instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each Flex Consumption instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var readerSubscriptionIds = empty(scannedSubscriptionIds) ? [subscription().subscriptionId] : scannedSubscriptionIds

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-esu-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-esu-${resourceToken}'
    applicationInsightsName: 'appi-esu-${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'stesu${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module serviceBus 'modules/serviceBus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: {
    name: 'sb-esu-${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
    criticalFilter: criticalSubscriptionFilter
  }
}

// Takes outputs of storage, serviceBus and monitoring, so it is deployed after their role assignments.
module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  scope: rg
  params: {
    name: 'func-esu-${resourceToken}'
    planName: 'plan-esu-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    remediationTopicName: serviceBus.outputs.remediationTopicName
    scanSchedule: esuScanSchedule
    reminderDays: esuReminderDays
    subscriptionIds: esuSubscriptionIds
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

// Least privilege for scanning: Reader on each scanned subscription, never Contributor or Owner.
// The deploying principal needs rights to assign roles (Owner or User Access Administrator) there.
module readerAssignments 'modules/readerAssignment.bicep' = [for scannedSubscriptionId in readerSubscriptionIds: {
  name: 'esu-reader-${uniqueString(scannedSubscriptionId, resourceToken)}'
  scope: subscription(scannedSubscriptionId)
  params: {
    principalId: identity.outputs.principalId
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output ESU_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output ESU_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output ESU_SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output ESU_FINDINGS_TABLE_URI string = storage.outputs.findingsTableUri
