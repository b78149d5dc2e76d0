// Log Analytics custom tables fed by the Logs Ingestion API: the tables in the existing workspace, a data
// collection endpoint, the data collection rule that maps one stream per table, and Monitoring Metrics
// Publisher for the app's identity on that rule only (no workspace key, no role on the workspace).
//
// Tables, columns and streams come from ../monitoring/tables.json, which is also what the code's records are
// tested against (test/telemetry/streamSchemas.test.ts reads them from the compiled template).

@description('Name of the existing Log Analytics workspace that gets the tables.')
param workspaceName string

@description('Name of the data collection endpoint.')
param endpointName string

@description('Name of the data collection rule.')
param ruleName string

@description('Azure region of the endpoint and the rule (the workspace\'s region).')
param location string

@description('Tags applied to the endpoint and the rule.')
param tags object = {}

@description('Principal (object) id of the app\'s user-assigned managed identity (gets Monitoring Metrics Publisher on the rule).')
param identityPrincipalId string

@description('Days the custom tables keep their rows (interactive retention).')
@minValue(30)
@maxValue(730)
param retentionInDays int = 90

var tables = loadJsonContent('../monitoring/tables.json')
var monitoringMetricsPublisherRoleDefinitionId = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource customTables 'Microsoft.OperationalInsights/workspaces/tables@2022-10-01' = [for table in tables: {
  parent: workspace
  name: table.name
  properties: {
    plan: 'Analytics'
    retentionInDays: retentionInDays
    schema: {
      name: table.name
      description: table.description
      columns: table.columns
    }
  }
}]

resource endpoint 'Microsoft.Insights/dataCollectionEndpoints@2022-06-01' = {
  name: endpointName
  location: location
  tags: tags
  properties: {
    networkAcls: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// One stream per table, declared with the table's own columns; the rule passes rows through unchanged.
resource rule 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: ruleName
  location: location
  tags: tags
  properties: {
    dataCollectionEndpointId: endpoint.id
    streamDeclarations: toObject(tables, table => 'Custom-${table.name}', table => {
      columns: map(table.columns, column => { name: column.name, type: column.type })
    })
    destinations: {
      logAnalytics: [
        {
          name: 'workspace'
          workspaceResourceId: workspace.id
        }
      ]
    }
    dataFlows: [for table in tables: {
      streams: [
        'Custom-${table.name}'
      ]
      destinations: [
        'workspace'
      ]
      transformKql: 'source'
      outputStream: 'Custom-${table.name}'
    }]
  }
  dependsOn: [
    customTables
  ]
}

resource appPublishesToRule 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(rule.id, identityPrincipalId, monitoringMetricsPublisherRoleDefinitionId)
  scope: rule
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleDefinitionId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output logsIngestionEndpoint string = endpoint.properties.logsIngestion.endpoint
output ruleImmutableId string = rule.properties.immutableId
output ruleId string = rule.id
