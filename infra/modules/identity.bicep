// User-assigned managed identity for the function app. A user-assigned identity (rather than the
// site's system-assigned one) exists before the site, so every role assignment can be granted
// up front and survives the site being recreated; it is also the common azd pattern.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
