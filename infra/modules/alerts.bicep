// Alert rules about the scan and the scanner itself. Log alerts (../monitoring/alerts/*.kql, parsed in tests
// against the tables' schemas): new High findings in the last run, and a dead-man switch on the heartbeat rows;
// a poison-queue alert on the storage queue logs. Metric alert: failed function executions. The topic's size
// and dead-letter alerts live next to the topic (serviceBus.bicep).

@description('Prefix of the alert rule names (unique per deployment).')
param namePrefix string

@description('Azure region of the log alert rules (the workspace\'s region).')
param location string

@description('Tags applied to the rules.')
param tags object = {}

@description('Resource id of the Log Analytics workspace.')
param workspaceId string

@description('Name of the Application Insights component the function app reports to.')
param applicationInsightsName string

@description('False: the custom tables are not deployed (Log Analytics ingestion off), so the two alerts that read them are not either.')
param customTablesDeployed bool = true

@description('Hours after the last finished run at which the dead-man switch fires: the schedule\'s period plus a margin.')
@minValue(1)
@maxValue(47)
param scanOverdueAfterHours int = 26

@description('Resource id of the action group to notify. Empty = the alerts show in the portal only.')
param actionGroupId string = ''

var actionGroups = empty(actionGroupId) ? [] : [actionGroupId]
var overdueQuery = replace(loadTextContent('../monitoring/alerts/scanOverdue.kql'), 'let overdueAfter = 26h;', 'let overdueAfter = ${scanOverdueAfterHours}h;')

var logAlerts = concat(customTablesDeployed ? [
  {
    name: 'esu-new-high-findings'
    description: 'The last scan run opened alerts on High-severity findings (ESU delivery at risk). The rows name each finding.'
    severity: 1
    query: loadTextContent('../monitoring/alerts/newHighFindings.kql')
    evaluationFrequency: 'PT1H'
    windowSize: 'P2D'
  }
  {
    name: 'esu-scan-overdue'
    description: 'No scan run finished within the schedule plus a margin: the scanner is stopped, cannot read, or cannot upload.'
    severity: 1
    query: overdueQuery
    evaluationFrequency: 'PT1H'
    windowSize: 'P2D'
  }
] : [], [
  {
    name: 'esu-scan-request-poisoned'
    description: 'A scan request reached the poison queue: that subscription was not scanned (the run names it as failed).'
    severity: 2
    query: loadTextContent('../monitoring/alerts/poisonQueue.kql')
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
  }
])

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for alert in logAlerts: {
  name: '${alert.name}-${namePrefix}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: alert.name
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: alert.evaluationFrequency
    windowSize: alert.windowSize
    // Tables created in the same deployment may not be queryable yet when the rule is validated.
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: actionGroups
    }
  }
}]

resource functionFailures 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'esu-function-failures-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    description: 'A function execution failed (scan, fan-out, relay or poison handler): see the failures blade of Application Insights.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'requestsFailed'
          metricName: 'requests/failed'
          metricNamespace: 'microsoft.insights/components'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Count'
        }
      ]
    }
    actions: [for group in actionGroups: {
      actionGroupId: group
    }]
  }
}
