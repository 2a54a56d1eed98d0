// Role assignments for the app's user-assigned identity (and optionally the deploying user),
// each scoped to the single resource it is needed on. Names are deterministic guid()s of
// scope + principal + role, so re-deploying is idempotent.

@description('Name of the app\'s user-assigned identity.')
param identityName string

@description('Name of the data storage account (tables).')
param dataStorageAccountName string

@description('Name of the Functions host storage account.')
param hostStorageAccountName string

@description('Name of the Key Vault holding the signing key.')
param keyVaultName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Optional object ID of a user or group to grant Key Vault Secrets Officer on the vault, so it can set the signing key. Empty grants nothing.')
param deployerPrincipalId string

@description('Principal type of deployerPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param deployerPrincipalType string

// Built-in role definition IDs (the same in every tenant).
var roles = {
  // Read/write/delete table entities; no account keys, no management-plane rights.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Flex Consumption reads the package from the deployment container and the host keeps its
  // locks and keys in blobs; Blob Data Owner on the host account is what the platform requires.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Create/update secrets; only for the optional deploying principal.
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  // Send telemetry to an Application Insights component with local auth disabled.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Not granted here: Key Vault Secrets User. The app reads only the signing-key secrets, so it gets
// that role on each of those secrets (signing-key-access.bicep), never on the whole vault.

// Not granted: Storage Queue Data Contributor (and Table roles) on the host account. FuncAuth has
// only HTTP triggers; the host needs queues only for queue/blob triggers, Durable Functions or
// similar extensions. Add it on hostStorage here if such a trigger is ever introduced.

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource dataStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: dataStorageAccountName
}

resource hostStorage 'Microsoft.Storage/storageAccounts@2026-09-01' existing = {
  name: hostStorageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource dataTableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(dataStorage.id, identity.id, roles.storageTableDataContributor)
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource hostBlobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(hostStorage.id, identity.id, roles.storageBlobDataOwner)
  scope: hostStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
