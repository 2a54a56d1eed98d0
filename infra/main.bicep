// FuncAuth infrastructure: a .NET isolated function app on the Flex Consumption plan, its data in
// Azure Table Storage, the token signing key in Key Vault, telemetry in Application Insights.
// Everything is reached with one user-assigned managed identity; no storage keys or connection
// strings are used anywhere.
//
// The app identity reads only the signing-key secrets (Key Vault Secrets User on each secret, not
// on the vault). Key Vault audit events and the data account's table requests go to Log Analytics,
// a CanNotDelete lock guards the data account, and privateNetworking puts storage and Key Vault
// behind private endpoints in a virtual network the app joins.
//
// Storage layout: two accounts. "data" holds the Users/RevokedTokens/Sessions/LoginAttempts/EmailAddresses/
// OneTimeTokens/Outbox/Authenticators tables (identity
// gets Storage Table Data Contributor there only); "host" holds the Functions host blobs and the
// deployment package (identity gets Storage Blob Data Owner there only). Keeping them apart means
// neither role reaches the other's data.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name (azd: AZURE_ENV_NAME). Prefixes resource names and seeds their unique suffix.')
param environmentName string

@description('Azure region for all resources. Must offer the Flex Consumption plan.')
param location string = resourceGroup().location

@description('Extra tags merged into every resource\'s tags.')
param tags object = {}

@description('Name of the users table.')
param usersTableName string = 'Users'

@description('Name of the revoked tokens table.')
param revokedTokensTableName string = 'RevokedTokens'

@description('Name of the sessions table.')
param sessionsTableName string = 'Sessions'

@description('Name of the table of failed password checks per username (account lockout).')
param loginAttemptsTableName string = 'LoginAttempts'

@description('Name of the table of email addresses (one row per address, so an address belongs to one account).')
param emailAddressesTableName string = 'EmailAddresses'

@description('Name of the table of confirmation and reset tokens (their hashes only).')
param oneTimeTokensTableName string = 'OneTimeTokens'

@description('Name of the outbox table: messages waiting to be sent, and the per-recipient message counts.')
param outboxTableName string = 'Outbox'

@description('Name of the authenticators table: TOTP secrets (encrypted), recovery code hashes and passkeys.')
param authenticatorsTableName string = 'Authenticators'

@description('SMTP relay host name (FuncAuth:Email:Smtp:Host), e.g. smtp.azurecomm.net. Empty (the default) configures no email: the email settings below are then not set.')
param smtpHost string = ''

@description('SMTP relay port: 587 for StartTls, 465 for SslOnConnect.')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('How the connection to the relay is secured. None (no TLS) is refused by the app outside Development, so it is not offered here.')
@allowed([
  'StartTls'
  'SslOnConnect'
])
param smtpSecurity string = 'StartTls'

@description('User name for the relay (with Azure Communication Services: the SMTP username of the Entra app). Empty sends without authenticating.')
param smtpUsername string = ''

@description('Name of an existing Key Vault secret holding the relay password. Empty (the default) sets no password; otherwise the app gets FuncAuth__Email__Smtp__Password referencing it and Key Vault Secrets User on that secret. The template does not create it.')
param smtpPasswordSecretName string = ''

@description('Sender address of the messages (FuncAuth:Email:From), e.g. no-reply@contoso.com; required with smtpHost.')
param emailFrom string = ''

@description('Sender display name (FuncAuth:Email:FromName). Empty uses emailProductName.')
param emailFromName string = ''

@description('The name the messages call the service by (FuncAuth:Email:ProductName).')
param emailProductName string = 'FuncAuth'

@description('Name of the Key Vault secret holding the active token signing key (an EC P-256 PEM by default). The template does not create it.')
param signingKeySecretName string = 'funcauth-signing-key'

@description('Whether the secret signingKeySecretName exists in the vault. Only then is the app identity granted Key Vault Secrets User on it: a role assignment cannot be scoped to a secret that does not exist yet. The azd post-provision hook creates the key, grants that role and sets SIGNING_KEY_EXISTS=true for later provisions.')
param signingKeyExists bool = false

@description('Name of an existing Key Vault secret holding a previous signing key that still validates the tokens it signed (rotation). Empty (the default) adds nothing; otherwise the app gets FuncAuth__Tokens__PreviousSigningKeys__0 referencing it and Key Vault Secrets User on it.')
param previousSigningKeySecretName string = ''

@description('Name of an existing Key Vault secret holding the key that encrypts TOTP secrets (FuncAuth:Mfa:EncryptionKey: base64 of 32 random bytes, e.g. `openssl rand -base64 32`). Empty (the default) sets no key: TOTP enrolment is then off. Otherwise the app gets FuncAuth__Mfa__EncryptionKey referencing it and Key Vault Secrets User on it. The template does not create it.')
param mfaEncryptionKeySecretName string = ''

@description('Name of an existing Key Vault secret holding the previous TOTP encryption key (rotation: secrets it encrypted still decrypt and are re-encrypted under the new key when next used). Empty (the default) adds nothing; otherwise the app gets FuncAuth__Mfa__PreviousEncryptionKeys__0 referencing it.')
param previousMfaEncryptionKeySecretName string = ''

@description('The WebAuthn relying party id passkeys are bound to (FuncAuth:Passkeys:RelyingPartyId): a host name such as contoso.com or auth.contoso.com. Empty (the default) leaves the app\'s default, the token issuer\'s host. A passkey works only for this id and its subdomains, and cannot be moved to another: choose it before users register passkeys.')
param passkeyRelyingPartyId string = ''

@description('Origins allowed to use passkeys (FuncAuth:Passkeys:Origins), e.g. https://auth.contoso.com; each must be https and on the relying party id or a subdomain of it. Empty (the default) leaves the app\'s default, the token issuer\'s origin.')
param passkeyOrigins string[] = []

@description('The role that may use the admin API (FuncAuth:Admin:Role): 1 to 64 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit. Empty (the default) leaves the app\'s default, funcauth-admin.')
param adminRole string = ''

@description('Usernames given the admin role at start-up (FuncAuth:Admin:BootstrapUsernames), so the first administrator needs no database edit. Create the account first; a name with no account is logged and tried again at the next start. Empty (the default) names nobody.')
param adminBootstrapUsernames string[] = []

@description('One OAuth 2.0 / OpenID Connect client registered with FuncAuth (FuncAuth:Clients:N).')
type clientRegistration = {
  @description('The client_id the app sends.')
  clientId: string

  @description('Name of an existing Key Vault secret (in this template\'s vault) holding the client secret of a confidential client (a server-side web app, or a service using client_credentials). Omit for a public client (single-page or native app: PKCE only). The app gets FuncAuth__Clients__N__ClientSecret referencing it and Key Vault Secrets User on it; the template does not create it.')
  clientSecretName: string?

  @description('Redirect URIs, matched exactly: https, http only to a loopback address (any port), or a private-use scheme such as com.example.app:/callback. Required for the authorization_code grant; omit for a service client that only uses client_credentials.')
  redirectUris: string[]?

  @description('Where end-session may send the browser afterwards, matched exactly.')
  postLogoutRedirectUris: string[]?

  @description('Scopes the client may ask for: openid, profile, email, offline_access (a user\'s sign-in), and API scopes such as orders.read or funcauth.admin (ASCII letters, digits and . _ - : /, at most 128; granted only by client_credentials). Omitted: the four user scopes.')
  allowedScopes: string[]?

  @description('Grant types the client may use: authorization_code, refresh_token, client_credentials (a confidential client with at least one API scope). Omitted: authorization_code and refresh_token.')
  allowedGrantTypes: string[]?
}

@description('OAuth 2.0 / OpenID Connect clients allowed to sign users in through FuncAuth\'s hosted pages, or (client_credentials) to get tokens for themselves, written to the app as FuncAuth__Clients__N__* settings. Empty (the default) registers none. Clients need an asymmetric signing key, which the default (an EC P-256 key made by the post-provision hook) is.')
param clients clientRegistration[] = []

@description('Token issuer (iss). Empty means the function app\'s own https URL.')
param tokenIssuer string = ''

@description('Token audience (aud).')
param tokenAudience string = 'funcauth'

@description('Access token lifetime, .NET TimeSpan format (hh:mm:ss).')
param accessTokenLifetime string = '00:15:00'

@description('Whether anyone may register an account.')
param registrationEnabled bool = true

@description('Browser origins allowed by CORS, e.g. [\'https://app.example.com\']. Empty allows none.')
param corsAllowedOrigins string[] = []

@description('Maximum instances the app scales out to (also caps cost under load or abuse).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory per instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted Key Vault or secret stays recoverable (purge protection is on, so it cannot be purged sooner).')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Optional object ID of the deploying user (azd: AZURE_PRINCIPAL_ID), granted Key Vault Secrets Officer on the vault so it can set the signing key. Empty grants nothing.')
param principalId string = ''

@description('Put a CanNotDelete lock on the data storage account, which holds the users. Lift it before `azd down` (see README).')
param dataStorageDeleteLock bool = true

@description('Join the app to a new virtual network and reach the data storage account, the host storage account and the Key Vault only through private endpoints; their public network access is then disabled.')
param privateNetworking bool = false

@description('Address space of the virtual network created when privateNetworking is true: a /23 or larger (two /24 subnets are carved from its start).')
param virtualNetworkAddressPrefix string = '10.0.0.0/16'

@description('Principal type of principalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var namePrefix = toLower(replace(take(environmentName, 20), '_', '-'))
var allTags = union(tags, { 'azd-env-name': environmentName })
var serviceName = 'api'

// Tables the template creates. Later features add their table name parameters here.
var dataTableNames = [
  usersTableName
  revokedTokensTableName
  sessionsTableName
  loginAttemptsTableName
  emailAddressesTableName
  oneTimeTokensTableName
  outboxTableName
  authenticatorsTableName
]

// Names are computed here (not taken from module outputs) so What-If can predict every resource.
var names = {
  identity: 'id-${namePrefix}-${resourceToken}'
  logAnalytics: 'log-${namePrefix}-${resourceToken}'
  applicationInsights: 'appi-${namePrefix}-${resourceToken}'
  dataStorage: 'stdata${resourceToken}'
  hostStorage: 'sthost${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'plan-${namePrefix}-${resourceToken}'
  functionApp: 'func-${namePrefix}-${resourceToken}'
  virtualNetwork: 'vnet-${namePrefix}-${resourceToken}'
  deploymentContainer: 'deployment-package'
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    disableLocalAuth: true
  }
}

module dataStorage 'modules/data-storage.bicep' = {
  name: 'data-storage'
  params: {
    name: names.dataStorage
    location: location
    tags: allTags
    tableNames: dataTableNames
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    deleteLock: dataStorageDeleteLock
    privateNetworking: privateNetworking
  }
}

module hostStorage 'modules/host-storage.bicep' = {
  name: 'host-storage'
  params: {
    name: names.hostStorage
    location: location
    tags: allTags
    deploymentContainerName: names.deploymentContainer
    privateNetworking: privateNetworking
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: allTags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsId
    privateNetworking: privateNetworking
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  // The module looks the storage accounts and the vault up by name, so it must wait for them.
  dependsOn: [
    dataStorage
    hostStorage
    keyVault
  ]
  params: {
    name: names.virtualNetwork
    location: location
    tags: allTags
    addressPrefix: virtualNetworkAddressPrefix
    dataStorageAccountName: names.dataStorage
    hostStorageAccountName: names.hostStorage
    keyVaultName: names.keyVault
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  // The module looks the resources up by name, so it must wait for them explicitly.
  dependsOn: [
    identity
    monitoring
    dataStorage
    hostStorage
    keyVault
  ]
  params: {
    identityName: names.identity
    dataStorageAccountName: names.dataStorage
    hostStorageAccountName: names.hostStorage
    keyVaultName: names.keyVault
    applicationInsightsName: names.applicationInsights
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

// Secrets the app may read: the active key once it exists, the previous key while one is named,
// the SMTP relay's password when one is named, and the secrets of confidential clients. union() also drops a duplicate if two
// parameters name the same secret.
var readableSecrets = union(
  signingKeyExists ? [signingKeySecretName] : [],
  empty(previousSigningKeySecretName) ? [] : [previousSigningKeySecretName],
  empty(smtpPasswordSecretName) ? [] : [smtpPasswordSecretName],
  empty(mfaEncryptionKeySecretName) ? [] : [mfaEncryptionKeySecretName],
  empty(previousMfaEncryptionKeySecretName) ? [] : [previousMfaEncryptionKeySecretName],
  map(filter(clients, client => !empty(client.?clientSecretName ?? '')), client => client.clientSecretName!)
)

module signingKeyAccess 'modules/signing-key-access.bicep' = if (!empty(readableSecrets)) {
  name: 'signing-key-access'
  dependsOn: [
    identity
    keyVault
  ]
  params: {
    identityName: names.identity
    keyVaultName: names.keyVault
    secretNames: readableSecrets
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  // The app starts using storage, Key Vault and App Insights as soon as it exists, so its roles
  // are granted first.
  dependsOn: [
    roleAssignments
    signingKeyAccess
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: names.hostStorage
    hostStorageBlobEndpoint: hostStorage.outputs.blobEndpoint
    deploymentContainerName: hostStorage.outputs.deploymentContainerName
    applicationInsightsName: names.applicationInsights
    tableServiceUri: dataStorage.outputs.tableEndpoint
    usersTableName: usersTableName
    revokedTokensTableName: revokedTokensTableName
    sessionsTableName: sessionsTableName
    loginAttemptsTableName: loginAttemptsTableName
    emailAddressesTableName: emailAddressesTableName
    oneTimeTokensTableName: oneTimeTokensTableName
    outboxTableName: outboxTableName
    authenticatorsTableName: authenticatorsTableName
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUsername: smtpUsername
    smtpPasswordSecretName: smtpPasswordSecretName
    mfaEncryptionKeySecretName: mfaEncryptionKeySecretName
    previousMfaEncryptionKeySecretName: previousMfaEncryptionKeySecretName
    passkeyRelyingPartyId: passkeyRelyingPartyId
    passkeyOrigins: passkeyOrigins
    emailFrom: emailFrom
    emailFromName: emailFromName
    emailProductName: emailProductName
    keyVaultName: names.keyVault
    signingKeySecretName: signingKeySecretName
    previousSigningKeySecretName: previousSigningKeySecretName
    clients: clients
    adminRole: adminRole
    adminBootstrapUsernames: adminBootstrapUsernames
    tokenIssuer: tokenIssuer
    tokenAudience: tokenAudience
    accessTokenLifetime: accessTokenLifetime
    registrationEnabled: registrationEnabled
    corsAllowedOrigins: corsAllowedOrigins
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    dotnetVersion: '10.0'
    virtualNetworkSubnetId: network.?outputs.appSubnetId ?? ''
  }
}

// azd reads these into the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output SERVICE_API_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.url

output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = functionApp.outputs.url
output DATA_STORAGE_ACCOUNT_NAME string = dataStorage.outputs.name
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output SIGNING_KEY_SECRET_NAME string = signingKeySecretName
// The post-provision hook grants this identity Key Vault Secrets User on the key it creates.
output APP_IDENTITY_NAME string = identity.outputs.name
