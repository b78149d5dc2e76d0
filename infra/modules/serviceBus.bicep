// Service Bus namespace carrying remediation jobs: topic `esu-remediation` with the subscriptions
// `all` (every job) and `critical` (a SQL filter). Local (SAS) auth is disabled; the app's identity
// may only send to the topic, and the developer (when given) may receive for `esu-scan alerts tail`.
//
// Topic and subscription names must match shared/config/resourceNames.ts (test/infra checks it).

@description('Service Bus namespace name (6-50 letters, digits and hyphens, globally unique).')
@minLength(6)
@maxLength(50)
param name string

@description('Azure region of the namespace.')
param location string

@description('Tags applied to the namespace.')
param tags object = {}

@description('Principal (object) id of the app\'s user-assigned managed identity (gets Data Sender on the topic).')
param identityPrincipalId string

@description('Principal (object) id of a developer who gets Data Receiver on the namespace. Empty = none.')
param userPrincipalId string = ''

@description('Principal type of userPrincipalId.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param userPrincipalType string = 'User'

@description('SQL filter of the `critical` subscription, evaluated against the application properties of each job.')
param criticalFilter string = 'severity = \'High\''

@description('Resource id of the Log Analytics workspace that receives the namespace\'s logs.')
param workspaceId string

@description('Resource id of an action group the two topic alerts notify. Empty = the alerts show in the portal only.')
param alertActionGroupId string = ''

// Standard allows up to 5 GB per topic. A first scan of 100,000 machines sends about 0.8 GB (docs/deploy.md).
var topicMaxSizeInMegabytes = 5120
// Nobody may read the topic for a while (no consumer is deployed): a message lives a week, then expires and is
// dropped, not dead-lettered, so an unread topic empties itself instead of filling up; the next scan's
// reminders (ESU_REMINDER_DAYS, 7) re-send what is still open.
var messageTimeToLive = 'P7D'

var dataSenderRoleDefinitionId = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
var dataReceiverRoleDefinitionId = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver

// Topics need the Standard tier (Basic has queues only).
resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource remediationTopic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'esu-remediation'
  properties: {
    // A job re-sent with the same MessageId within the window is dropped by the broker.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: messageTimeToLive
    maxSizeInMegabytes: topicMaxSizeInMegabytes
    enableBatchedOperations: true
  }
}

resource allSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: remediationTopic
  name: 'all'
  properties: {
    deadLetteringOnMessageExpiration: false
    defaultMessageTimeToLive: messageTimeToLive
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource criticalSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: remediationTopic
  name: 'critical'
  properties: {
    deadLetteringOnMessageExpiration: false
    deadLetteringOnFilterEvaluationExceptions: true
    defaultMessageTimeToLive: messageTimeToLive
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

// Every new subscription gets a catch-all rule named `$Default` (TrueFilter). Rules are OR-ed, so
// adding a second rule beside it would still let every message through; instead this overwrites
// `$Default` itself (a PUT on an existing rule replaces it), leaving the SQL filter as the only rule.
resource criticalFilterRule 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = {
  parent: criticalSubscription
  name: '$Default'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: criticalFilter
    }
  }
}

resource appSendsToTopic 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(remediationTopic.id, identityPrincipalId, dataSenderRoleDefinitionId)
  scope: remediationTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSenderRoleDefinitionId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource userReceivesFromNamespace 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(namespace.id, userPrincipalId, dataReceiverRoleDefinitionId)
  scope: namespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiverRoleDefinitionId)
    principalId: userPrincipalId
    principalType: userPrincipalType
  }
}

// Who sent, received or changed what: the namespace's logs in the workspace.
resource namespaceDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'esu-to-workspace'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
  }
}

// A topic that fills up unnoticed stops every send (the outbox then grows): alert at half its size, and on any
// dead-lettered message (a consumer that keeps failing, or a filter that throws), which never expires.
var topicAlerts = [
  {
    name: 'esu-topic-half-full'
    description: 'The remediation topic holds more than half of its maximum size: subscribers are not keeping up.'
    metricName: 'Size'
    operator: 'GreaterThan'
    threshold: topicMaxSizeInMegabytes * 1024 * 1024 / 2
    aggregation: 'Maximum'
    severity: 2
  }
  {
    name: 'esu-topic-dead-letters'
    description: 'Messages of the remediation topic were dead-lettered: a subscriber fails on them, and they stay until read.'
    metricName: 'DeadletteredMessages'
    operator: 'GreaterThan'
    threshold: 0
    aggregation: 'Maximum'
    severity: 3
  }
]

resource topicMetricAlerts 'Microsoft.Insights/metricAlerts@2018-03-01' = [for alert in topicAlerts: {
  name: '${alert.name}-${name}'
  location: 'global'
  tags: tags
  properties: {
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [
      namespace.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: alert.metricName
          metricName: alert.metricName
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                remediationTopic.name
              ]
            }
          ]
          operator: alert.operator
          threshold: alert.threshold
          timeAggregation: alert.aggregation
        }
      ]
    }
    actions: empty(alertActionGroupId) ? [] : [
      {
        actionGroupId: alertActionGroupId
      }
    ]
  }
}]

// serviceBusEndpoint looks like https://<name>.servicebus.windows.net:443/ (the suffix differs in
// sovereign clouds); keep only the host name.
var endpointWithoutScheme = replace(namespace.properties.serviceBusEndpoint, 'https://', '')
var endpointAuthority = split(endpointWithoutScheme, '/')[0]

output name string = namespace.name
output id string = namespace.id
output fullyQualifiedNamespace string = split(endpointAuthority, ':')[0]
output remediationTopicName string = remediationTopic.name
