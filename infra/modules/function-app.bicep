// Flex Consumption (FC1) plan and the FuncAuth function app.
//
// On Flex Consumption the language runtime is set in properties.functionAppConfig.runtime; the
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and
// WEBSITE_CONTENT* app settings are not used on this plan and must not be set.

@description('Name of the function app.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region.')
param location string

@description('Tags applied to the plan and the app (the app also gets azd-service-name).')
param tags object

@description('Value of the azd-service-name tag, matching the service in azure.yaml.')
param serviceName string

@description('Resource ID of the user-assigned identity the app runs as.')
param identityId string

@description('Client ID of that identity (for DefaultAzureCredential and the host storage connection).')
param identityClientId string

@description('Name of the storage account used by the Functions host (AzureWebJobsStorage).')
param hostStorageAccountName string

@description('Blob endpoint of the host storage account.')
param hostStorageBlobEndpoint string

@description('Deployment container in the host storage account.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Table service endpoint of the data storage account.')
param tableServiceUri string

@description('Name of the users table.')
param usersTableName string

@description('Name of the revoked tokens table.')
param revokedTokensTableName string

@description('Name of the sessions table.')
param sessionsTableName string

@description('Name of the table of failed password checks per username (account lockout).')
param loginAttemptsTableName string

@description('Name of the email addresses table.')
param emailAddressesTableName string

@description('Name of the one-time tokens table.')
param oneTimeTokensTableName string

@description('Name of the outbox table.')
param outboxTableName string

@description('Name of the authenticators table.')
param authenticatorsTableName string

@description('SMTP relay host. Empty sets no email setting at all.')
param smtpHost string

@description('SMTP relay port.')
@minValue(1)
@maxValue(65535)
param smtpPort int

@description('StartTls or SslOnConnect.')
@allowed([
  'StartTls'
  'SslOnConnect'
])
param smtpSecurity string

@description('User name for the relay; empty sends without authenticating.')
param smtpUsername string

@description('Name of the Key Vault secret holding the relay password; empty sets no password.')
param smtpPasswordSecretName string

@description('Sender address.')
param emailFrom string

@description('Name of the Key Vault secret holding the TOTP encryption key; empty sets none (TOTP enrolment off).')
param mfaEncryptionKeySecretName string

@description('Name of the Key Vault secret holding the previous TOTP encryption key; empty sets none.')
param previousMfaEncryptionKeySecretName string

@description('The WebAuthn relying party id; empty leaves the app\'s default (the issuer\'s host).')
param passkeyRelyingPartyId string

@description('Origins allowed to use passkeys; empty leaves the app\'s default (the issuer\'s origin).')
param passkeyOrigins string[]

@description('Sender display name; empty leaves the app\'s default (the product name).')
param emailFromName string

@description('The name the messages call the service by.')
param emailProductName string

@description('Name of the Key Vault that holds the signing key and the SMTP password.')
param keyVaultName string

@description('Name of the Key Vault secret that holds the active signing key.')
param signingKeySecretName string

@description('Name of a Key Vault secret holding a previous signing key that still validates tokens. Empty adds no setting.')
param previousSigningKeySecretName string

@description('Registered OAuth 2.0 / OpenID Connect clients: objects with clientId and optionally clientSecretName, redirectUris, postLogoutRedirectUris, allowedScopes, allowedGrantTypes (see main.bicep).')
param clients array

@description('The role that may use the admin API; empty leaves the app\'s default (funcauth-admin).')
param adminRole string

@description('Usernames given the admin role at start-up.')
param adminBootstrapUsernames string[]

@description('Token issuer. Empty means the app\'s own https URL.')
param tokenIssuer string

@description('Token audience.')
param tokenAudience string

@description('Access token lifetime as a .NET TimeSpan string (hh:mm:ss).')
param accessTokenLifetime string

@description('Whether self-registration is open.')
param registrationEnabled bool

@description('Origins allowed to call the API from a browser (CORS). Empty allows none.')
param corsAllowedOrigins string[]

@description('Upper bound on instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('.NET isolated worker version.')
param dotnetVersion string

@description('Resource ID of the subnet (delegated to Microsoft.App/environments) the app joins. Empty joins no virtual network.')
param virtualNetworkSubnetId string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings resolve with the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    // With private networking the app's outbound calls to private addresses (the private
    // endpoints of storage and Key Vault, resolved through the private DNS zones linked to the
    // network) go through this subnet. Key Vault references are resolved through it too once the
    // vault refuses public access. Other traffic (telemetry) keeps the platform's own route.
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }
}

// No FTP and no basic-auth (user/password) publishing: deployments go through Entra ID.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// A previous signing key validates tokens it signed but signs nothing (FuncAuth:Tokens:PreviousSigningKeys).
// The setting is added only when asked for: a reference to a secret that does not exist would
// leave the setting unresolved and stop the app.
var previousSigningKeySettings = empty(previousSigningKeySecretName)
  ? {}
  : {
      FuncAuth__Tokens__PreviousSigningKeys__0: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${previousSigningKeySecretName})'
    }

// Email through the SMTP relay, only when a relay is named (without one, outside Development, the app
// sends no email). The password is a Key Vault reference, resolved by the platform like the signing
// key: it never passes through template parameters, deployment history or outputs.
var smtpSettings = empty(smtpHost)
  ? {}
  : union(
      {
        FuncAuth__Email__Smtp__Host: smtpHost
        FuncAuth__Email__Smtp__Port: string(smtpPort)
        FuncAuth__Email__Smtp__Security: smtpSecurity
        FuncAuth__Email__From: emailFrom
        FuncAuth__Email__ProductName: emailProductName
      },
      empty(emailFromName) ? {} : { FuncAuth__Email__FromName: emailFromName },
      empty(smtpUsername) ? {} : { FuncAuth__Email__Smtp__Username: smtpUsername },
      empty(smtpPasswordSecretName)
        ? {}
        : {
            FuncAuth__Email__Smtp__Password: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${smtpPasswordSecretName})'
          }
    )

// The second factor's encryption key (and the previous one while rotating) as Key Vault references, like the signing key; the
// passkey relying party only when named (otherwise the app derives it from the issuer).
var mfaSettings = union(
  empty(mfaEncryptionKeySecretName)
    ? {}
    : { FuncAuth__Mfa__EncryptionKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${mfaEncryptionKeySecretName})' },
  empty(previousMfaEncryptionKeySecretName)
    ? {}
    : { FuncAuth__Mfa__PreviousEncryptionKeys__0: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${previousMfaEncryptionKeySecretName})' },
  empty(passkeyRelyingPartyId) ? {} : { FuncAuth__Passkeys__RelyingPartyId: passkeyRelyingPartyId },
  toObject(range(0, length(passkeyOrigins)), j => 'FuncAuth__Passkeys__Origins__${j}', j => passkeyOrigins[j])
)

// Administration: the admin role only when named, and the first administrators as FuncAuth:Admin:BootstrapUsernames:N.
var adminSettings = union(
  empty(adminRole) ? {} : { FuncAuth__Admin__Role: adminRole },
  toObject(range(0, length(adminBootstrapUsernames)), j => 'FuncAuth__Admin__BootstrapUsernames__${j}', j => adminBootstrapUsernames[j])
)

// Registered clients as FuncAuth:Clients:N:… settings, one per value (a list as __0, __1, …). A
// confidential client's secret is a Key Vault reference, resolved by the platform like the signing
// key: its value never passes through template parameters, deployment history or outputs.
var clientSettings = toObject(
  flatten(map(range(0, length(clients)), i => concat(
    [
      {
        name: 'FuncAuth__Clients__${i}__ClientId'
        value: clients[i].clientId
      }
    ],
    empty(clients[i].?clientSecretName ?? '')
      ? []
      : [
          {
            name: 'FuncAuth__Clients__${i}__ClientSecret'
            value: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${clients[i].clientSecretName})'
          }
        ],
    map(range(0, length(clients[i].?redirectUris ?? [])), j => {
      name: 'FuncAuth__Clients__${i}__RedirectUris__${j}'
      value: clients[i].redirectUris[j]
    }),
    map(range(0, length(clients[i].?postLogoutRedirectUris ?? [])), j => {
      name: 'FuncAuth__Clients__${i}__PostLogoutRedirectUris__${j}'
      value: clients[i].postLogoutRedirectUris[j]
    }),
    map(range(0, length(clients[i].?allowedScopes ?? [])), j => {
      name: 'FuncAuth__Clients__${i}__AllowedScopes__${j}'
      value: clients[i].allowedScopes[j]
    }),
    map(range(0, length(clients[i].?allowedGrantTypes ?? [])), j => {
      name: 'FuncAuth__Clients__${i}__AllowedGrantTypes__${j}'
      value: clients[i].allowedGrantTypes[j]
    })
  ))),
  setting => setting.name,
  setting => setting.value
)

// App settings live in their own resource so the issuer can default to the site's host name,
// which is only known once the site exists. This resource owns the complete set of settings.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: union({
    // Functions host storage, by identity only: no connection string, no account key.
    AzureWebJobsStorage__accountName: hostStorageAccountName
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId

    // DefaultAzureCredential in the worker picks the user-assigned identity.
    AZURE_CLIENT_ID: identityClientId

    // The connection string only locates the component; with local auth disabled, telemetry is
    // accepted only when authenticated as the identity below (Monitoring Metrics Publisher).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    FuncAuth__Storage__TableServiceUri: tableServiceUri
    FuncAuth__Storage__UsersTableName: usersTableName
    FuncAuth__Storage__RevokedTokensTableName: revokedTokensTableName
    FuncAuth__Storage__SessionsTableName: sessionsTableName
    FuncAuth__Storage__LoginAttemptsTableName: loginAttemptsTableName
    FuncAuth__Storage__EmailAddressesTableName: emailAddressesTableName
    FuncAuth__Storage__OneTimeTokensTableName: oneTimeTokensTableName
    FuncAuth__Storage__OutboxTableName: outboxTableName
    FuncAuth__Storage__AuthenticatorsTableName: authenticatorsTableName

    FuncAuth__Tokens__Issuer: empty(tokenIssuer) ? 'https://${site.properties.defaultHostName}' : tokenIssuer
    FuncAuth__Tokens__Audience: tokenAudience
    FuncAuth__Tokens__AccessTokenLifetime: accessTokenLifetime
    // Resolved by the platform with keyVaultReferenceIdentity; the latest secret version is used.
    FuncAuth__Tokens__SigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${signingKeySecretName})'

    FuncAuth__Registration__Enabled: string(registrationEnabled)
  }, previousSigningKeySettings, smtpSettings, mfaSettings, adminSettings, clientSettings)
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
output url string = 'https://${site.properties.defaultHostName}'
