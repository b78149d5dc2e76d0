// Optional receivers of every ESU alert: e-mail addresses from the azd environment (ESU_ALERT_EMAILS).
// Deployed only when at least one address is given; without it the alerts show in the portal only.

@description('Name of the action group.')
param name string

@description('Short name shown in notifications (at most 12 characters).')
@maxLength(12)
param shortName string = 'esu-scanner'

@description('Tags applied to the action group.')
param tags object = {}

@description('Comma-separated e-mail addresses.')
param emailAddresses string

var emails = map(filter(split(emailAddresses, ','), address => !empty(trim(address))), address => trim(address))

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    groupShortName: shortName
    enabled: true
    emailReceivers: [for (address, index) in emails: {
      name: 'email-${index}'
      emailAddress: address
      useCommonAlertSchema: true
    }]
  }
}

output id string = actionGroup.id
