// Flex Consumption plan and the function app (Node 22, Linux), running as the user-assigned
// identity. Every connection is identity-based: no connection string carries a secret.
//
// The app settings must include every SETTINGS entry with `setByInfra: true` in
// shared/config/settings.ts (test/infra/infra.test.ts checks it).

@description('Function app name (globally unique host name).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region of the plan and the app; must offer Flex Consumption.')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name).')
param tags object = {}

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the Application Insights component (same resource group).')
param applicationInsightsName string

@description('Blob endpoint of the storage account, with trailing slash.')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account, with trailing slash.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account, with trailing slash.')
param storageTableEndpoint string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Host name of the Service Bus namespace, e.g. contoso.servicebus.windows.net.')
param serviceBusFullyQualifiedNamespace string

@description('Service Bus topic receiving remediation jobs.')
param remediationTopicName string

@description('NCRONTAB schedule (six fields, UTC) of the scan fan-out timer.')
param scanSchedule string

@description('Days after its last message that a finding still open gets a reminder.')
param reminderDays int

@description('Comma-separated subscription ids to scan; empty = every subscription the identity can read.')
param subscriptionIds string

@description('Resource id of the Log Analytics workspace that receives the app\'s platform logs.')
param workspaceId string

@description('Logs Ingestion endpoint of the data collection endpoint; empty = Log Analytics ingestion off.')
param logsIngestionEndpoint string = ''

@description('Immutable id (dcr-...) of the data collection rule; empty = Log Analytics ingestion off.')
param logsIngestionRuleId string = ''

@description('Also upload every non-passing finding of each scan.')
param logsFindingsSnapshot bool = false

@description('Upper bound of instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// environment().resourceManager ends with '/'; the code expects the endpoint without it.
var resourceManagerEndpoint = environment().resourceManager
var armEndpoint = endsWith(resourceManagerEndpoint, '/') ? take(resourceManagerEndpoint, length(resourceManagerEndpoint) - 1) : resourceManagerEndpoint

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'node'
        version: '22'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
  }

  // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME,
  // FUNCTIONS_EXTENSION_VERSION and WEBSITE_RUN_FROM_PACKAGE must not be set here.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host storage, identity-based.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: storageTableEndpoint

      // Application Insights with Entra ID auth (the connection string holds no secret).
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

      // shared/config/settings.ts, setByInfra: true.
      ESU_SCAN_SCHEDULE: scanSchedule
      ESU_REMINDER_DAYS: string(reminderDays)
      ESU_SUBSCRIPTION_IDS: subscriptionIds
      ESU_STORAGE__tableServiceUri: storageTableEndpoint
      ESU_STORAGE__queueServiceUri: storageQueueEndpoint
      ESU_STORAGE__credential: 'managedidentity'
      ESU_STORAGE__clientId: identityClientId
      ESU_SERVICEBUS__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
      ESU_SERVICEBUS__credential: 'managedidentity'
      ESU_SERVICEBUS__clientId: identityClientId
      ESU_REMEDIATION_TOPIC: remediationTopicName
      ESU_ARM_ENDPOINT: armEndpoint
      ESU_LOGS_INGESTION_ENDPOINT: logsIngestionEndpoint
      ESU_LOGS_INGESTION_RULE_ID: logsIngestionRuleId
      ESU_LOGS_FINDINGS_SNAPSHOT: string(logsFindingsSnapshot)
      AZURE_CLIENT_ID: identityClientId
    }
  }
}

// Platform logs of every execution (start, end, failures, host messages) next to Application Insights.
resource appDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'esu-to-workspace'
  scope: functionApp
  properties: {
    workspaceId: workspaceId
    logs: [
      { category: 'FunctionAppLogs', enabled: true }
    ]
  }
}

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
