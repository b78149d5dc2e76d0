// arc-esu-scanner: everything `azd provision` deploys. Subscription scope so that it can create the
// resource group and grant Reader on each scanned subscription; the resources themselves live in
// modules/ (one per concern, with the role assignments next to the resource they scope).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment: names the resource group and seeds the resource token.')
param environmentName string

// Regions that offer Flex Consumption, as listed by Azure-Samples/functions-quickstart-typescript-azd
// (without the canary region eastus2euap). Microsoft adds regions over time: compare with
// `az functionapp list-flexconsumption-locations --output table` and extend the list.
@minLength(1)
@description('Region of every resource. Must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying principal (azd sets AZURE_PRINCIPAL_ID). Gets data roles only when grantDeployerDataRoles is true.')
param principalId string = ''

@description('Give principalId the storage data roles and Service Bus Data Receiver, for local debugging and `esu-scan alerts tail`. Off by default, so a CI service principal that deploys gets no data access.')
param grantDeployerDataRoles bool = false

@description('Principal type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Comma-separated subscription ids on which the app identity gets Reader, besides those of esuSubscriptionIds. Both empty = the deployment subscription.')
param readerSubscriptionIds string = ''

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

@description('Redundancy of the data storage account (findings, suppressions): Standard_ZRS where the region has availability zones; Standard_LRS where it has none (docs/deploy.md).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_ZRS'

@description('Send scan telemetry to Log Analytics custom tables (Logs Ingestion API) and deploy the workbook and log alerts over them. False: none of these; Table Storage and Service Bus are unchanged.')
param logAnalyticsIngestion bool = true

@description('ESU_LOGS_FINDINGS_SNAPSHOT: also upload every non-passing finding of each scan (the largest volume, docs/monitoring.md).')
param logsFindingsSnapshot bool = false

@description('Comma-separated e-mail addresses notified by every ESU alert. Empty = no action group; alerts show in the portal only.')
param alertEmails string = ''

@description('Hours after the last finished scan run at which the dead-man switch alert fires: the schedule\'s period plus a margin.')
@minValue(1)
@maxValue(47)
param scanOverdueAfterHours int = 26

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var deployerPrincipalId = grantDeployerDataRoles ? principalId : ''

// A comma-separated list of subscription ids as an array: blanks dropped, lower case so that union()
// removes duplicates and each subscription gets exactly one Reader assignment.
func subscriptionIdList(commaSeparated string) array => map(filter(split(commaSeparated, ','), id => !empty(trim(id))), id => toLower(trim(id)))

// Reader goes to every subscription the app is told to scan and to every extra one listed; with
// neither list, to the deployment subscription.
var listedReaderScopes = union(subscriptionIdList(esuSubscriptionIds), subscriptionIdList(readerSubscriptionIds))
var readerScopes = empty(listedReaderScopes) ? [subscription().subscriptionId] : listedReaderScopes

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

module logIngestion 'modules/logIngestion.bicep' = if (logAnalyticsIngestion) {
  name: 'logIngestion'
  scope: rg
  params: {
    workspaceName: monitoring.outputs.workspaceName
    endpointName: 'dce-esu-${resourceToken}'
    ruleName: 'dcr-esu-${resourceToken}'
    location: location
    tags: tags
    identityPrincipalId: identity.outputs.principalId
  }
}

module workbook 'modules/workbook.bicep' = if (logAnalyticsIngestion) {
  name: 'workbook'
  scope: rg
  params: {
    displayName: 'Azure Arc ESU coverage (${environmentName})'
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
  }
}

module actionGroup 'modules/actionGroup.bicep' = if (!empty(trim(alertEmails))) {
  name: 'actionGroup'
  scope: rg
  params: {
    name: 'ag-esu-${resourceToken}'
    tags: tags
    emailAddresses: alertEmails
  }
}

var alertActionGroupId = actionGroup.?outputs.id ?? ''

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: resourceToken
    location: location
    tags: tags
    workspaceId: monitoring.outputs.workspaceId
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    customTablesDeployed: logAnalyticsIngestion
    scanOverdueAfterHours: scanOverdueAfterHours
    actionGroupId: alertActionGroupId
  }
  // The log alerts query the custom tables.
  dependsOn: [
    logIngestion
  ]
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
    skuName: storageSkuName
    workspaceId: monitoring.outputs.workspaceId
    userPrincipalId: deployerPrincipalId
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
    userPrincipalId: deployerPrincipalId
    userPrincipalType: principalType
    criticalFilter: criticalSubscriptionFilter
    workspaceId: monitoring.outputs.workspaceId
    alertActionGroupId: alertActionGroupId
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
    workspaceId: monitoring.outputs.workspaceId
    logsIngestionEndpoint: logIngestion.?outputs.logsIngestionEndpoint ?? ''
    logsIngestionRuleId: logIngestion.?outputs.ruleImmutableId ?? ''
    logsFindingsSnapshot: logsFindingsSnapshot
  }
}

// Least privilege for scanning: Reader on each scanned subscription, never Contributor or Owner.
// The deploying principal needs Owner, or Contributor and User Access Administrator, there (docs/deploy.md).
// Each assignment is named guid(subscription, identity, Reader) (modules/readerAssignment.bicep), so a
// re-run puts the same assignment again and an added subscription only adds one.
module readerAssignments 'modules/readerAssignment.bicep' = [for readerSubscriptionId in readerScopes: {
  name: 'esu-reader-${uniqueString(readerSubscriptionId, resourceToken)}'
  scope: subscription(readerSubscriptionId)
  params: {
    principalId: identity.outputs.principalId
  }
}]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output ESU_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output ESU_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output ESU_SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output ESU_SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output ESU_FINDINGS_TABLE_URI string = storage.outputs.findingsTableUri
output ESU_READER_SUBSCRIPTION_SCOPES array = readerScopes
