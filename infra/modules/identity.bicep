// The one user-assigned managed identity of the app. The function app runs as it and every
// connection (host storage, ESU storage, Service Bus, Application Insights, ARM) authenticates
// with it; its roles are assigned next to the resources they scope.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
