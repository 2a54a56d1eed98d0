// Key Vault Secrets User for the app's identity on each signing-key secret (and the SMTP relay's
// password secret, when one is named, and each confidential client's secret), and on nothing else in the vault. A role assignment scoped
// to a secret is an extension resource of that secret, so the secret must already exist when this
// is deployed: main.bicep includes a secret here only once it is known to exist (signingKeyExists,
// previousSigningKeySecretName, smtpPasswordSecretName), and the azd post-provision hook deploys
// this file directly right after it creates the first key (see README, "The signing key").
// Names are deterministic guid()s of secret + identity + role, so main.bicep and the hook declare
// the very same assignment and re-deploying either is idempotent.

@description('Name of the app\'s user-assigned identity.')
param identityName string

@description('Name of the Key Vault holding the secrets.')
param keyVaultName string

@description('Secrets the identity may read. Each must exist in the vault.')
param secretNames string[]

// Read secret values only (for the Key Vault references of the signing keys).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2026-05-15' existing = [
  for secretName in secretNames: {
    parent: vault
    name: secretName
  }
]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (secretName, i) in secretNames: {
    name: guid(secrets[i].id, identity.id, keyVaultSecretsUser)
    scope: secrets[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]
