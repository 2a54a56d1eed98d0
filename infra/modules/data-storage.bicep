// Storage account holding the application's data (Table Storage). It is separate from the
// Functions host's own storage so that the app identity's table permissions never reach the host
// blobs (deployment packages, host keys) and the host's blob permissions never reach the data.

@description('Name of the data storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Tables to create. Add names here (via main.bicep) when a feature needs a new table.')
param tableNames string[]

@description('Resource ID of the Log Analytics workspace that receives the table service logs.')
param logAnalyticsWorkspaceId string

@description('When true, a CanNotDelete lock keeps the account (and so the users) from being deleted.')
param deleteLock bool

@description('When true, the account refuses public network access and is reached through a private endpoint only.')
param privateNetworking bool

resource account 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: privateNetworking ? 'None' : 'AzureServices'
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
    }
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2026-09-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

// Every read, write and delete of table entities (sign-ins, registrations, revocations, purges)
// goes to the workspace's StorageTableLogs table: the requests with their URIs, which carry the
// table keys (encoded user names, token ids), never the entities' contents.
// The API version is the newest that takes named settings; the linter's "recent" suggestion
// (2016-09-01) is the legacy shape that only allows a single setting named 'service'.
#disable-next-line use-recent-api-versions
resource tableDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'table-logs-to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'StorageRead'
        enabled: true
      }
      {
        category: 'StorageWrite'
        enabled: true
      }
      {
        category: 'StorageDelete'
        enabled: true
      }
    ]
  }
}

// Locks apply to the management plane only: table reads and writes by the app are unaffected, but
// deleting the account (or its resource group, as `azd down` does) fails until the lock is removed.
resource dataLock 'Microsoft.Authorization/locks@2020-05-01' = if (deleteLock) {
  name: 'funcauth-data-do-not-delete'
  scope: account
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the FuncAuth users, revoked tokens and sessions. Remove this lock before deleting the account or its resource group.'
  }
}

output name string = account.name
output id string = account.id
output tableEndpoint string = account.properties.primaryEndpoints.table
