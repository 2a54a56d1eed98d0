using 'main.bicep'

// Only the environment name and the region need setting; azd sets both (AZURE_ENV_NAME,
// AZURE_LOCATION). With the plain Azure CLI, export them before deploying (see README).
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'funcauth-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastus2')

// azd sets AZURE_PRINCIPAL_ID to the signed-in user; that user is then allowed to set the signing
// key secret. Leave unset to grant nothing.
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// Everything else keeps the defaults in main.bicep, e.g.:
// param corsAllowedOrigins = ['https://app.example.com']
// param registrationEnabled = false
