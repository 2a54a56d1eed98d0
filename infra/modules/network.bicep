// Private networking (main.bicep parameter privateNetworking): a virtual network the function app
// joins, and private endpoints through which it reaches the data storage account (tables), the
// host storage account (blobs: host state and the deployment package) and the Key Vault. Each
// endpoint registers its address in a private DNS zone linked to the network, so the accounts'
// and the vault's usual host names resolve to private addresses from inside it. The three
// resources themselves refuse public network access when this module is deployed.

@description('Name of the virtual network.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Address space of the virtual network; two /24 subnets are carved from its start.')
param addressPrefix string

@description('Name of the data storage account (tables).')
param dataStorageAccountName string

@description('Name of the Functions host storage account (blobs).')
param hostStorageAccountName string

@description('Name of the Key Vault.')
param keyVaultName string

var appSubnetName = 'app'
var privateEndpointSubnetName = 'private-endpoints'

// One private endpoint per resource and sub-resource the app reaches. The zone names are the
// documented private link zones, derived from the cloud's own suffixes (privatelink.table.core.windows.net,
// privatelink.blob.core.windows.net and privatelink.vaultcore.azure.net in the public cloud).
var endpoints = [
  {
    name: 'table'
    targetType: 'Microsoft.Storage/storageAccounts'
    targetName: dataStorageAccountName
    groupId: 'table'
    zone: 'privatelink.table.${environment().suffixes.storage}'
  }
  {
    name: 'blob'
    targetType: 'Microsoft.Storage/storageAccounts'
    targetName: hostStorageAccountName
    groupId: 'blob'
    zone: 'privatelink.blob.${environment().suffixes.storage}'
  }
  {
    name: 'vault'
    targetType: 'Microsoft.KeyVault/vaults'
    targetName: keyVaultName
    groupId: 'vault'
    zone: 'privatelink${replace(environment().suffixes.keyvaultDns, 'vault', 'vaultcore')}'
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2026-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        // Flex Consumption joins a subnet delegated to Microsoft.App/environments (not
        // Microsoft.Web/serverFarms as other plans do); the subscription needs the Microsoft.App
        // resource provider registered.
        name: appSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: privateEndpointSubnetName
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }

  resource privateEndpointSubnet 'subnets' existing = {
    name: privateEndpointSubnetName
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: vnet.name
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2026-03-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.targetName}-${endpoint.name}'
    location: location
    tags: tags
    properties: {
      subnet: {
        id: vnet::privateEndpointSubnet.id
      }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: {
            privateLinkServiceId: resourceId(endpoint.targetType, endpoint.targetName)
            groupIds: [
              endpoint.groupId
            ]
          }
        }
      ]
    }
  }
]

// The zone group writes (and on deletion removes) the endpoint's A record in its zone.
resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2026-03-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.name
          properties: {
            privateDnsZoneId: zones[i].id
          }
        }
      ]
    }
  }
]

@description('Resource ID of the subnet the function app joins.')
output appSubnetId string = vnet::appSubnet.id

output name string = vnet.name
