using 'main.bicep'

// Only the environment name and the region need setting; azd sets both (AZURE_ENV_NAME,
// AZURE_LOCATION). With the plain Azure CLI, export them before deploying (see README).
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'funcauth-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastus2')

// azd sets AZURE_PRINCIPAL_ID to the signed-in user; that user is then allowed to set the signing
// key secret. Leave unset to grant nothing.
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// The azd post-provision hook sets SIGNING_KEY_EXISTS=true once it has created the signing key, so
// later provisions keep the app's read access to that secret declared. With the plain Azure CLI,
// export it after creating the key (see README).
param signingKeyExists = bool(readEnvironmentVariable('SIGNING_KEY_EXISTS', 'false'))

// Key rotation: the name of the secret holding the previous key (it must exist), or empty.
param previousSigningKeySecretName = readEnvironmentVariable('PREVIOUS_SIGNING_KEY_SECRET_NAME', '')

// Email (see README, "Email"): the SMTP relay, and the name of the Key Vault secret holding its
// password (create the secret first, e.g. az keyvault secret set). Without SMTP_HOST no email is sent.
param smtpHost = readEnvironmentVariable('SMTP_HOST', '')
param smtpUsername = readEnvironmentVariable('SMTP_USERNAME', '')
param smtpPasswordSecretName = readEnvironmentVariable('SMTP_PASSWORD_SECRET_NAME', '')
param emailFrom = readEnvironmentVariable('EMAIL_FROM', '')

// A second factor (see README, "A second factor and passkeys"): the name of the Key Vault secret holding the key that
// encrypts TOTP secrets (create it first: az keyvault secret set --vault-name <vault> --name funcauth-mfa-key
// --value "$(openssl rand -base64 32)"). Without it TOTP enrolment is off. Passkeys default to the issuer's host;
// PASSKEY_RP_ID names another relying party id (a parent domain, say), and then passkeyOrigins should list the origins.
param mfaEncryptionKeySecretName = readEnvironmentVariable('MFA_ENCRYPTION_KEY_SECRET_NAME', '')
param passkeyRelyingPartyId = readEnvironmentVariable('PASSKEY_RP_ID', '')

// The first administrators (see README, "The admin API"): ADMIN_BOOTSTRAP_USERNAMES, comma-separated, names accounts given
// the admin role at start-up. Register the account first, then set it and deploy again.
param adminBootstrapUsernames = empty(readEnvironmentVariable('ADMIN_BOOTSTRAP_USERNAMES', ''))
  ? []
  : split(readEnvironmentVariable('ADMIN_BOOTSTRAP_USERNAMES', ''), ',')

// Opt-in private networking (azd env set PRIVATE_NETWORKING true), and the data account's delete
// lock, on unless DATA_STORAGE_DELETE_LOCK=false.
param privateNetworking = bool(readEnvironmentVariable('PRIVATE_NETWORKING', 'false'))
param dataStorageDeleteLock = bool(readEnvironmentVariable('DATA_STORAGE_DELETE_LOCK', 'true'))

// Browser sign-in (see README, "Registering a client"): the apps that may sign users in through
// FuncAuth, and services that get tokens for themselves (client_credentials). A confidential
// client's secret lives in Key Vault (create it first, e.g.
// az keyvault secret set --vault-name <vault> --name funcauth-client-web --value <secret>); the app
// reads it through a Key Vault reference. For example:
// param clients = [
//   {
//     clientId: 'web'
//     clientSecretName: 'funcauth-client-web'
//     redirectUris: ['https://app.contoso.com/signin-oidc']
//     postLogoutRedirectUris: ['https://app.contoso.com/signout-callback-oidc']
//   }
//   {
//     clientId: 'spa'
//     redirectUris: ['https://spa.contoso.com/callback']
//     allowedScopes: ['openid', 'profile', 'email']
//   }
//   {
//     // A service getting tokens for itself (client_credentials): a secret, API scopes, no redirect URIs.
//     clientId: 'orders-service'
//     clientSecretName: 'funcauth-client-orders-service'
//     allowedGrantTypes: ['client_credentials']
//     allowedScopes: ['orders.read', 'orders.write']
//   }
// ]

// Everything else keeps the defaults in main.bicep, e.g.:
// param corsAllowedOrigins = ['https://app.example.com']
// param registrationEnabled = false
