using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FuncAuth.Tests.Infrastructure;

/// <summary>
/// Compiles infra/main.bicep with the Bicep CLI restored from the Azure.Bicep.CommandLine package and
/// checks the security properties of the resulting ARM template. Nothing is deployed. Properties that
/// depend on parameters are checked on <see cref="ArmEvaluation"/>s of the template for the values
/// main.bicepparam produces by default and with every opt-in set.
/// </summary>
public sealed class BicepTemplateTests(BicepTemplateFixture template) : IClassFixture<BicepTemplateFixture>
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private const string RoleAssignments = "Microsoft.Authorization/roleAssignments";
    private const string StorageAccounts = "Microsoft.Storage/storageAccounts";
    private const string Tables = "Microsoft.Storage/storageAccounts/tableServices/tables";
    private const string Vaults = "Microsoft.KeyVault/vaults";
    private const string DiagnosticSettings = "Microsoft.Insights/diagnosticSettings";
    private const string VirtualNetworks = "Microsoft.Network/virtualNetworks";
    private const string PrivateEndpoints = "Microsoft.Network/privateEndpoints";
    private const string PrivateDnsZones = "Microsoft.Network/privateDnsZones";
    private const string ZoneLinks = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
    private const string ZoneGroups = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";

    /// <summary>The app identity's client ID as main.bicep passes it to the function app module.</summary>
    private const string IdentityClientId = "<reference('identity').outputs.clientId.value>";

    private static readonly string[] FuncAuthSettings =
    [
        "FuncAuth__Storage__TableServiceUri",
        "FuncAuth__Storage__UsersTableName",
        "FuncAuth__Storage__RevokedTokensTableName",
        "FuncAuth__Storage__SessionsTableName",
        "FuncAuth__Storage__LoginAttemptsTableName",
        "FuncAuth__Storage__EmailAddressesTableName",
        "FuncAuth__Storage__OneTimeTokensTableName",
        "FuncAuth__Storage__OutboxTableName",
        "FuncAuth__Storage__AuthenticatorsTableName",
        "FuncAuth__Tokens__Issuer",
        "FuncAuth__Tokens__Audience",
        "FuncAuth__Tokens__AccessTokenLifetime",
        "FuncAuth__Tokens__SigningKey",
        "FuncAuth__Registration__Enabled",
    ];

    [Fact]
    public void Build_lint_and_build_params_report_no_diagnostics()
    {
        // The fixture already refuses to start on any diagnostic; this keeps the output visible.
        Assert.Empty(template.Diagnostics);
    }

    [Fact]
    public void Every_storage_account_is_hardened()
    {
        var accounts = template.AllResources().Where(r => r.Type == "Microsoft.Storage/storageAccounts" && !r.IsExisting).ToList();
        Assert.Equal(2, accounts.Count);
        foreach (var account in accounts)
        {
            Assert.Equal("StorageV2", account.Resource.Str("kind"));
            var props = account.Properties;
            Assert.Equal("TLS1_2", props.Str("minimumTlsVersion"));
            Assert.True(props.Bool("supportsHttpsTrafficOnly"));
            Assert.False(props.Bool("allowBlobPublicAccess"));
            Assert.False(props.Bool("allowSharedKeyAccess"));
        }
    }

    [Fact]
    public void Data_account_gets_the_users_and_revoked_tokens_tables()
    {
        var module = template.Module("data-storage");
        var tables = Assert.Single(module.Resources(), r => r.Type == "Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Equal("[length(parameters('tableNames'))]", tables.Resource.Obj("copy").Str("count"));

        // main.bicep passes variables('dataTableNames') = [parameters('usersTableName'), parameters('revokedTokensTableName'), parameters('sessionsTableName'),
        // parameters('loginAttemptsTableName')].
        var passed = module.Parameter("tableNames");
        var tableNames = template.Root.ResolveArray(passed).Select(n => template.Root.ResolveString(n)).ToList();
        Assert.Contains("Users", tableNames);
        Assert.Contains("RevokedTokens", tableNames);
    }

    [Theory]
    [InlineData("sessionsTableName", "Sessions")]
    [InlineData("loginAttemptsTableName", "LoginAttempts")]
    [InlineData("emailAddressesTableName", "EmailAddresses")]
    [InlineData("oneTimeTokensTableName", "OneTimeTokens")]
    [InlineData("outboxTableName", "Outbox")]
    [InlineData("authenticatorsTableName", "Authenticators")]
    public void Data_account_gets_the_later_tables_named_by_their_parameters(string parameter, string table)
    {
        Assert.Equal(table, template.Root.ParameterDefault(parameter)?.GetValue<string>());
        var passed = template.Module("data-storage").Parameter("tableNames");
        Assert.Contains(table, template.Root.ResolveArray(passed).Select(n => template.Root.ResolveString(n)));

        // Created in the data account's table service, beside the users and revoked tokens tables:
        // the scope of the table logs, and inside the account the lock and the table role cover.
        var evaluation = template.Evaluate();
        var tableService = $"{DataAccountName(evaluation)}/default";
        Assert.Equal(
            [$"{tableService}/Authenticators", $"{tableService}/EmailAddresses", $"{tableService}/LoginAttempts", $"{tableService}/OneTimeTokens", $"{tableService}/Outbox",
                $"{tableService}/RevokedTokens", $"{tableService}/Sessions", $"{tableService}/Users"],
            TableNames(evaluation).Order(StringComparer.Ordinal));

        // The table takes the parameter's value, not a fixed name.
        var renamed = template.Evaluate(new JsonObject { [parameter] = "Renamed" + table });
        var renamedTables = TableNames(renamed);
        Assert.Contains($"{DataAccountName(renamed)}/default/Renamed{table}", renamedTables);
        Assert.DoesNotContain(renamedTables, t => t.EndsWith("/" + table, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sessionsTableName", "Sessions", "FuncAuth__Storage__SessionsTableName")]
    [InlineData("loginAttemptsTableName", "LoginAttempts", "FuncAuth__Storage__LoginAttemptsTableName")]
    [InlineData("emailAddressesTableName", "EmailAddresses", "FuncAuth__Storage__EmailAddressesTableName")]
    [InlineData("oneTimeTokensTableName", "OneTimeTokens", "FuncAuth__Storage__OneTimeTokensTableName")]
    [InlineData("outboxTableName", "Outbox", "FuncAuth__Storage__OutboxTableName")]
    [InlineData("authenticatorsTableName", "Authenticators", "FuncAuth__Storage__AuthenticatorsTableName")]
    public void Later_table_name_settings_reference_their_parameters(string parameter, string table, string setting)
    {
        // main.bicep passes its own parameter through to the function app module.
        var module = template.Module("function-app");
        Assert.Equal(parameter, ParameterName(module.Parameter(parameter).GetValue<string>()));
        Assert.Equal(table, module.ResolveString(AppSettings()[setting]));

        // A renamed table is renamed in the app's setting too, so the app opens the table the template creates.
        var renamed = template.Evaluate(new JsonObject { [parameter] = "Renamed" + table });
        Assert.Equal("Renamed" + table, renamed.AppSettings()[setting]);
        Assert.Contains($"{DataAccountName(renamed)}/default/Renamed{table}", TableNames(renamed));
    }

    [Fact]
    public void Site_is_https_only_with_tls_1_2_and_no_ftp()
    {
        var site = template.Module("function-app").OnlyResource("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", site.Resource.Str("kind"));
        Assert.True(site.Properties.Bool("httpsOnly"));
        var siteConfig = site.Properties.Obj("siteConfig");
        Assert.Equal("Disabled", siteConfig.Str("ftpsState"));
        Assert.Equal("1.2", siteConfig.Str("minTlsVersion"));
        Assert.Equal("1.2", siteConfig.Str("scmMinTlsVersion"));
    }

    [Fact]
    public void Basic_publishing_credentials_are_disabled_for_ftp_and_scm()
    {
        var policies = template.Module("function-app").Resources()
            .Where(r => r.Type == "Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .ToDictionary(r => ChildName(r.Name), r => r.Properties.Bool("allow"));
        Assert.Equal(2, policies.Count);
        Assert.False(policies["ftp"]);
        Assert.False(policies["scm"]);
    }

    [Fact]
    public void Cors_origins_come_from_a_parameter_that_defaults_to_none()
    {
        var module = template.Module("function-app");
        var cors = module.OnlyResource("Microsoft.Web/sites").Properties.Obj("siteConfig").Obj("cors");
        var origins = module.Parameter(ParameterName(cors.Str("allowedOrigins")));
        var mainParameter = ParameterName(origins.GetValue<string>());
        var defaultValue = Assert.IsType<JsonArray>(template.Root.ParameterDefault(mainParameter));
        Assert.Empty(defaultValue);
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10_on_the_flex_consumption_plan()
    {
        var module = template.Module("function-app");
        var plan = module.OnlyResource("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", plan.Resource.Obj("sku").Str("name"));
        Assert.Equal("FlexConsumption", plan.Resource.Obj("sku").Str("tier"));

        var config = module.OnlyResource("Microsoft.Web/sites").Properties.Obj("functionAppConfig");
        var runtime = config.Obj("runtime");
        Assert.Equal("dotnet-isolated", module.ResolveString(runtime["name"]));
        Assert.Equal("10.0", module.ResolveString(runtime["version"]));
        Assert.NotNull(config.Obj("scaleAndConcurrency")["maximumInstanceCount"]);
        Assert.NotNull(config.Obj("scaleAndConcurrency")["instanceMemoryMB"]);

        // On Flex Consumption the runtime lives in functionAppConfig only.
        var settings = AppSettings();
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", settings.Keys);
    }

    [Fact]
    public void Deployment_package_is_reached_with_the_managed_identity()
    {
        var site = template.Module("function-app").OnlyResource("Microsoft.Web/sites");
        var storage = site.Properties.Obj("functionAppConfig").Obj("deployment").Obj("storage");
        Assert.Equal("blobContainer", storage.Str("type"));
        Assert.Equal("UserAssignedIdentity", storage.Obj("authentication").Str("type"));
        Assert.Equal("UserAssigned", site.Resource.Obj("identity").Str("type"));
        Assert.Equal("[parameters('identityId')]", site.Properties.Str("keyVaultReferenceIdentity"));
    }

    [Fact]
    public void Functions_host_storage_is_identity_based_only()
    {
        var settings = AppSettings();
        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal(IdentityClientId, settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal(IdentityClientId, settings["AZURE_CLIENT_ID"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);

        // No connection string or key anywhere in the compiled template, not just in app settings.
        var everything = template.Root.Template.ToJsonString();
        Assert.DoesNotContain("AccountKey=", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("DefaultEndpointsProtocol", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys(", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listConnectionStrings(", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_funcauth_option_has_an_app_setting()
    {
        var settings = AppSettings();
        Assert.All(FuncAuthSettings, name => Assert.Contains(name, settings.Keys));
    }

    [Fact]
    public void FuncAuth_settings_default_to_the_expected_values()
    {
        var module = template.Module("function-app");
        var settings = AppSettings();
        Assert.Equal("Users", module.ResolveString(settings["FuncAuth__Storage__UsersTableName"]));
        Assert.Equal("RevokedTokens", module.ResolveString(settings["FuncAuth__Storage__RevokedTokensTableName"]));
        Assert.Equal("funcauth", module.ResolveString(settings["FuncAuth__Tokens__Audience"]));
        Assert.Equal("00:15:00", module.ResolveString(settings["FuncAuth__Tokens__AccessTokenLifetime"]));
        Assert.Contains("primaryEndpoints.table", template.Module("data-storage").Template.Obj("outputs").Obj("tableEndpoint").Str("value"), StringComparison.Ordinal);
        Assert.Equal("https://<reference('site').defaultHostName>", settings["FuncAuth__Tokens__Issuer"]);

        var registration = ParameterName(module.Parameter("registrationEnabled").GetValue<string>());
        Assert.True(template.Root.ParameterDefault(registration)?.GetValue<bool>());
    }

    [Fact]
    public void Signing_key_is_a_key_vault_reference_to_a_secret_the_template_does_not_create()
    {
        // The vault named in the reference is the vault the template creates.
        var evaluation = template.Evaluate();
        Assert.Equal(
            $"@Microsoft.KeyVault(VaultName={VaultName(evaluation)};SecretName=funcauth-signing-key)",
            evaluation.AppSettings()["FuncAuth__Tokens__SigningKey"]);

        // Secrets are only ever looked up (as the scope of role assignments), never declared.
        Assert.DoesNotContain(template.AllResources(), r => r.Type == "Microsoft.KeyVault/vaults/secrets" && !r.IsExisting);
    }

    [Fact]
    public void Previous_signing_key_setting_is_absent_by_default_and_a_key_vault_reference_when_named()
    {
        Assert.Equal(string.Empty, template.Root.ParameterDefault("previousSigningKeySecretName")?.GetValue<string>());
        Assert.Equal(string.Empty, template.DefaultParameters["previousSigningKeySecretName"]?.GetValue<string>());
        Assert.DoesNotContain(template.Evaluate(template.DefaultParameters).AppSettings().Keys, k => k.Contains("PreviousSigningKeys", StringComparison.Ordinal));

        // PREVIOUS_SIGNING_KEY_SECRET_NAME=funcauth-signing-key-previous
        var rotating = template.Evaluate(template.OptInParameters);
        var settings = rotating.AppSettings();
        Assert.Equal(
            $"@Microsoft.KeyVault(VaultName={VaultName(rotating)};SecretName=funcauth-signing-key-previous)",
            settings["FuncAuth__Tokens__PreviousSigningKeys__0"]);
        Assert.Equal(
            $"@Microsoft.KeyVault(VaultName={VaultName(rotating)};SecretName=funcauth-signing-key)",
            settings["FuncAuth__Tokens__SigningKey"]);
        Assert.Single(settings.Keys, k => k.Contains("PreviousSigningKeys", StringComparison.Ordinal));
    }

    [Fact]
    public void Email_settings_are_absent_without_a_relay()
    {
        Assert.Equal(string.Empty, template.Root.ParameterDefault("smtpHost")?.GetValue<string>());
        Assert.Equal(string.Empty, template.DefaultParameters["smtpHost"]?.GetValue<string>());
        Assert.DoesNotContain(template.Evaluate(template.DefaultParameters).AppSettings().Keys, k => k.StartsWith("FuncAuth__Email__", StringComparison.Ordinal));
    }

    [Fact]
    public void Relay_settings_come_from_parameters_and_the_password_is_a_key_vault_reference()
    {
        // SMTP_HOST, SMTP_USERNAME, SMTP_PASSWORD_SECRET_NAME, EMAIL_FROM set; the rest at their defaults.
        var evaluation = template.Evaluate(template.OptInParameters);
        var email = evaluation.AppSettings().Where(p => p.Key.StartsWith("FuncAuth__Email__", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FuncAuth__Email__Smtp__Host"] = "smtp.azurecomm.net",
                ["FuncAuth__Email__Smtp__Port"] = "587",
                ["FuncAuth__Email__Smtp__Security"] = "StartTls",
                ["FuncAuth__Email__Smtp__Username"] = "funcauth-relay",
                ["FuncAuth__Email__Smtp__Password"] = $"@Microsoft.KeyVault(VaultName={VaultName(evaluation)};SecretName=funcauth-smtp-password)",
                ["FuncAuth__Email__From"] = "no-reply@contoso.test",
                ["FuncAuth__Email__ProductName"] = "FuncAuth",
            },
            email);

        // The other relay settings are parameters too; no plain-text password parameter exists, and None is not offered.
        var renamed = template.Evaluate(new JsonObject
        {
            ["smtpHost"] = "smtp.sendgrid.net",
            ["smtpPort"] = 465L,
            ["smtpSecurity"] = "SslOnConnect",
            ["emailFrom"] = "auth@contoso.test",
            ["emailFromName"] = "Contoso",
            ["emailProductName"] = "Contoso ID",
        }).AppSettings();
        Assert.Equal("smtp.sendgrid.net", renamed["FuncAuth__Email__Smtp__Host"]);
        Assert.Equal("465", renamed["FuncAuth__Email__Smtp__Port"]);
        Assert.Equal("SslOnConnect", renamed["FuncAuth__Email__Smtp__Security"]);
        Assert.Equal("Contoso", renamed["FuncAuth__Email__FromName"]);
        Assert.Equal("Contoso ID", renamed["FuncAuth__Email__ProductName"]);
        Assert.DoesNotContain("FuncAuth__Email__Smtp__Password", renamed.Keys);
        Assert.DoesNotContain("FuncAuth__Email__Smtp__Username", renamed.Keys);
        Assert.DoesNotContain(template.Root.Template.Obj("parameters"), p => p.Key.Contains("password", StringComparison.OrdinalIgnoreCase) && !p.Key.EndsWith("SecretName", StringComparison.Ordinal));
        var allowed = template.Root.Template.Obj("parameters").Obj("smtpSecurity")["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(["StartTls", "SslOnConnect"], allowed);
    }

    [Fact]
    public void Second_factor_and_passkey_settings_are_absent_by_default_and_come_from_parameters_when_named()
    {
        var defaults = template.Evaluate(template.DefaultParameters).AppSettings();
        Assert.DoesNotContain(defaults.Keys, k => k.StartsWith("FuncAuth__Mfa__", StringComparison.Ordinal) || k.StartsWith("FuncAuth__Passkeys__", StringComparison.Ordinal));

        // MFA_ENCRYPTION_KEY_SECRET_NAME and PASSKEY_RP_ID set: the key is a Key Vault reference the app may read.
        var evaluation = template.Evaluate(template.OptInParameters);
        var settings = evaluation.AppSettings();
        Assert.Equal($"@Microsoft.KeyVault(VaultName={VaultName(evaluation)};SecretName=funcauth-mfa-key)", settings["FuncAuth__Mfa__EncryptionKey"]);
        Assert.Equal("contoso.test", settings["FuncAuth__Passkeys__RelyingPartyId"]);
        Assert.DoesNotContain(settings.Keys, k => k.Contains("PreviousEncryptionKeys", StringComparison.Ordinal) || k.Contains("Origins", StringComparison.Ordinal));

        var rotating = template.Evaluate(new JsonObject
        {
            ["mfaEncryptionKeySecretName"] = "funcauth-mfa-key-2",
            ["previousMfaEncryptionKeySecretName"] = "funcauth-mfa-key",
            ["passkeyOrigins"] = new JsonArray("https://auth.contoso.test", "https://contoso.test"),
        });
        var rotated = rotating.AppSettings();
        Assert.Equal($"@Microsoft.KeyVault(VaultName={VaultName(rotating)};SecretName=funcauth-mfa-key-2)", rotated["FuncAuth__Mfa__EncryptionKey"]);
        Assert.Equal($"@Microsoft.KeyVault(VaultName={VaultName(rotating)};SecretName=funcauth-mfa-key)", rotated["FuncAuth__Mfa__PreviousEncryptionKeys__0"]);
        Assert.Equal("https://auth.contoso.test", rotated["FuncAuth__Passkeys__Origins__0"]);
        Assert.Equal("https://contoso.test", rotated["FuncAuth__Passkeys__Origins__1"]);
    }

    [Fact]
    public void Admin_settings_are_absent_by_default_and_come_from_parameters_when_named()
    {
        var defaults = template.Evaluate(template.DefaultParameters).AppSettings();
        Assert.DoesNotContain(defaults.Keys, k => k.StartsWith("FuncAuth__Admin__", StringComparison.Ordinal));

        // ADMIN_BOOTSTRAP_USERNAMES=alice,bob: one setting per name; the role is the app's default unless named.
        var optIn = template.Evaluate(template.OptInParameters).AppSettings();
        Assert.Equal("alice", optIn["FuncAuth__Admin__BootstrapUsernames__0"]);
        Assert.Equal("bob", optIn["FuncAuth__Admin__BootstrapUsernames__1"]);
        Assert.DoesNotContain("FuncAuth__Admin__Role", optIn.Keys);

        var named = template.Evaluate(new JsonObject { ["adminRole"] = "ops:admin" }).AppSettings();
        Assert.Equal("ops:admin", named["FuncAuth__Admin__Role"]);
    }

    [Fact]
    public void Client_settings_are_absent_without_clients()
    {
        Assert.Empty(template.Root.ParameterDefault("clients")!.AsArray());
        Assert.False(template.DefaultParameters.ContainsKey("clients"));
        Assert.DoesNotContain(template.Evaluate(template.DefaultParameters).AppSettings().Keys, k => k.StartsWith("FuncAuth__Clients__", StringComparison.Ordinal));
    }

    [Fact]
    public void Clients_become_app_settings_with_each_secret_a_key_vault_reference_the_app_may_read()
    {
        var evaluation = template.Evaluate(new JsonObject
        {
            ["signingKeyExists"] = true,
            ["clients"] = new JsonArray(
                new JsonObject
                {
                    ["clientId"] = "web-app",
                    ["clientSecretName"] = "funcauth-client-web-app",
                    ["redirectUris"] = new JsonArray("https://web.contoso.test/signin-oidc", "https://web.contoso.test/alt"),
                    ["postLogoutRedirectUris"] = new JsonArray("https://web.contoso.test/signout-callback-oidc"),
                    ["allowedScopes"] = new JsonArray("openid", "profile", "offline_access"),
                },
                new JsonObject
                {
                    ["clientId"] = "spa",
                    ["redirectUris"] = new JsonArray("https://spa.contoso.test/callback"),
                    ["allowedGrantTypes"] = new JsonArray("authorization_code"),
                }),
        });
        var clients = evaluation.AppSettings().Where(p => p.Key.StartsWith("FuncAuth__Clients__", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FuncAuth__Clients__0__ClientId"] = "web-app",
                ["FuncAuth__Clients__0__ClientSecret"] = $"@Microsoft.KeyVault(VaultName={VaultName(evaluation)};SecretName=funcauth-client-web-app)",
                ["FuncAuth__Clients__0__RedirectUris__0"] = "https://web.contoso.test/signin-oidc",
                ["FuncAuth__Clients__0__RedirectUris__1"] = "https://web.contoso.test/alt",
                ["FuncAuth__Clients__0__PostLogoutRedirectUris__0"] = "https://web.contoso.test/signout-callback-oidc",
                ["FuncAuth__Clients__0__AllowedScopes__0"] = "openid",
                ["FuncAuth__Clients__0__AllowedScopes__1"] = "profile",
                ["FuncAuth__Clients__0__AllowedScopes__2"] = "offline_access",
                ["FuncAuth__Clients__1__ClientId"] = "spa",
                ["FuncAuth__Clients__1__RedirectUris__0"] = "https://spa.contoso.test/callback",
                ["FuncAuth__Clients__1__AllowedGrantTypes__0"] = "authorization_code",
            },
            clients);

        // Every one is a setting FuncAuth reads (the start-up check of unknown settings would refuse any other).
        var names = FuncAuth.SettingNames.From([new FuncAuth.BoundSection(FuncAuth.Clients.ClientOptions.SectionName, typeof(FuncAuth.Clients.ClientRegistration), IsList: true)], []);
        Assert.All(clients, p => Assert.Null(names.Refusal(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value, hasChildren: false)));

        // The app identity may read the client's secret (and, as before, the signing key), nothing else.
        Assert.Equal(
            [SecretId(evaluation, "funcauth-client-web-app"), SecretId(evaluation, "funcauth-signing-key")],
            SecretsUserGrants(evaluation).Select(g => evaluation.Text(g, "scope")).Order(StringComparer.Ordinal));

        // No parameter takes a client secret itself: only the name of the Key Vault secret holding it.
        var clientType = template.Root.Template.Obj("definitions").Obj("clientRegistration").Obj("properties");
        Assert.Equal(
            ["allowedGrantTypes", "allowedScopes", "clientId", "clientSecretName", "postLogoutRedirectUris", "redirectUris"],
            clientType.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_service_client_needs_no_redirect_uri_and_reads_its_secret_from_key_vault()
    {
        var evaluation = template.Evaluate(new JsonObject
        {
            ["signingKeyExists"] = true,
            ["clients"] = new JsonArray(
                new JsonObject
                {
                    ["clientId"] = "orders-service",
                    ["clientSecretName"] = "funcauth-client-orders-service",
                    ["allowedScopes"] = new JsonArray("orders.read", "funcauth.admin"),
                    ["allowedGrantTypes"] = new JsonArray("client_credentials"),
                }),
        });
        var clients = evaluation.AppSettings().Where(p => p.Key.StartsWith("FuncAuth__Clients__", StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["FuncAuth__Clients__0__ClientId"] = "orders-service",
                ["FuncAuth__Clients__0__ClientSecret"] = $"@Microsoft.KeyVault(VaultName={VaultName(evaluation)};SecretName=funcauth-client-orders-service)",
                ["FuncAuth__Clients__0__AllowedScopes__0"] = "orders.read",
                ["FuncAuth__Clients__0__AllowedScopes__1"] = "funcauth.admin",
                ["FuncAuth__Clients__0__AllowedGrantTypes__0"] = "client_credentials",
            },
            clients);
        Assert.Contains(SecretId(evaluation, "funcauth-client-orders-service"), SecretsUserGrants(evaluation).Select(g => evaluation.Text(g, "scope")));

        // The type says redirectUris may be left out (the app's own check still wants one for the authorization_code grant).
        var redirectUris = template.Root.Template.Obj("definitions").Obj("clientRegistration").Obj("properties").Obj("redirectUris");
        Assert.True((bool?)redirectUris["nullable"] == true, $"redirectUris is not optional: {redirectUris.ToJsonString()}");
    }

    [Fact]
    public void Post_provision_hook_creates_an_es256_pem_key_once_without_printing_it()
    {
        if (OperatingSystem.IsWindows() || !OnPath("sh") || !OnPath("openssl"))
        {
            Assert.Skip("Needs a POSIX sh and openssl on PATH.");
        }

        var work = Directory.CreateTempSubdirectory("funcauth-hook-");
        try
        {
            var bin = work.CreateSubdirectory("bin").FullName;
            var tmp = work.CreateSubdirectory("tmp").FullName;
            var calls = Path.Combine(work.FullName, "calls");
            var stored = Path.Combine(work.FullName, "stored.pem");

            // Stand-ins for az and azd: record every call; keep the secret the hook sets (and the mode
            // of the file it came from) as Key Vault would.
            WriteScript(Path.Combine(bin, "az"), $$"""
                #!/bin/sh
                printf '%s\n' "$*" >> '{{calls}}'
                case "$1 $2 $3" in
                  "keyvault secret show")
                    if [ -f '{{stored}}' ]; then echo id; exit 0; fi
                    echo "ERROR: (SecretNotFound) A secret with (name/id) x was not found in this key vault." >&2; exit 1 ;;
                  "keyvault secret set")
                    while [ $# -gt 0 ]; do
                      if [ "$1" = --file ]; then cp "$2" '{{stored}}'; { stat -c %a "$2" || stat -f %Lp "$2"; } 2>/dev/null > '{{stored}}.mode'; fi
                      shift
                    done ;;
                esac
                """);
            WriteScript(Path.Combine(bin, "azd"), $$"""
                #!/bin/sh
                printf 'azd %s\n' "$*" >> '{{calls}}'
                """);

            var first = RunHook(bin, tmp, signingKeyExists: false);
            var second = RunHook(bin, tmp, signingKeyExists: true);

            Assert.Equal(0, first.ExitCode);
            Assert.Equal(0, second.ExitCode);
            Assert.Contains("left unchanged", second.Output, StringComparison.Ordinal);

            // Set once (never replaced), from a private file that is gone afterwards, as PEM.
            var log = File.ReadAllLines(calls);
            var set = Assert.Single(log, l => l.StartsWith("keyvault secret set", StringComparison.Ordinal));
            Assert.Contains("--content-type application/x-pem-file", set, StringComparison.Ordinal);
            Assert.Equal("600", File.ReadAllText(stored + ".mode").Trim());
            Assert.Empty(Directory.EnumerateFileSystemEntries(tmp));

            // PKCS#8 PEM of an EC P-256 key (ES256), never printed.
            var pem = File.ReadAllText(stored);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
            using var key = ECDsa.Create();
            key.ImportFromPem(pem);
            Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value);
            Assert.DoesNotContain(pem.Split('\n')[1], first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", first.Output, StringComparison.Ordinal);

            // Then the app identity gets read access to that secret, through the module main.bicep uses.
            var grant = Assert.Single(log, l => l.StartsWith("deployment group create", StringComparison.Ordinal));
            Assert.Contains("--template-file infra/modules/signing-key-access.bicep", grant, StringComparison.Ordinal);
            Assert.Contains("""secretNames=["funcauth-signing-key"]""", grant, StringComparison.Ordinal);
            Assert.Contains("azd env set SIGNING_KEY_EXISTS true", log);
            Assert.Single(log, l => l.StartsWith("functionapp restart", StringComparison.Ordinal));
            Assert.Contains(template.Root.Resources(), r => r.Type == "Microsoft.Resources/deployments" && r.Name == "signing-key-access");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var vault = template.Module("key-vault").OnlyResource("Microsoft.KeyVault/vaults");
        Assert.True(vault.Properties.Bool("enableRbacAuthorization"));
        Assert.True(vault.Properties.Bool("enableSoftDelete"));
        Assert.True(vault.Properties.Bool("enablePurgeProtection"));
    }

    [Fact]
    public void Identity_gets_table_data_contributor_on_the_data_account_only()
    {
        var assignment = RoleAssignment(StorageTableDataContributor);
        AssertScopedTo(assignment, "Microsoft.Storage/storageAccounts", "dataStorageAccountName", "data-storage");
    }

    [Fact]
    public void Identity_gets_key_vault_secrets_user_on_the_signing_key_secrets_only()
    {
        // Nowhere is the role granted on the vault (or anything wider than one secret).
        var grants = template.AllResources()
            .Where(r => r.Type == RoleAssignments)
            .Where(r => r.Properties.ToJsonString() is var p && (p.Contains("keyVaultSecretsUser", StringComparison.Ordinal) || p.Contains(KeyVaultSecretsUser, StringComparison.Ordinal)))
            .ToList();
        var grant = Assert.Single(grants);
        Assert.StartsWith("[resourceId('Microsoft.KeyVault/vaults/secrets', ", grant.Resource.Str("scope"), StringComparison.Ordinal);
        Assert.Equal(KeyVaultSecretsUser, grant.Scope.Template.Obj("variables").Str("keyVaultSecretsUser"));

        // By default the key does not exist yet, and no grant is deployed (the post-provision hook
        // grants it right after creating the key).
        Assert.False(template.Root.ParameterDefault("signingKeyExists")?.GetValue<bool>());
        Assert.Empty(SecretsUserGrants(template.Evaluate(template.DefaultParameters)));

        // Once it exists: on that secret, for the app identity.
        var withKey = template.Evaluate(new JsonObject { ["signingKeyExists"] = true });
        var only = Assert.Single(SecretsUserGrants(withKey));
        Assert.Equal(SecretId(withKey, "funcauth-signing-key"), withKey.Text(only, "scope"));
        Assert.Equal("<reference('identity').principalId>", withKey.Text(only, "properties", "principalId"));
        Assert.Equal("ServicePrincipal", withKey.Text(only, "properties", "principalType"));
        Assert.Equal(
            ArmEvaluation.Text(withKey.ModuleParameter("identity", "name")),
            ArmEvaluation.Text(withKey.ModuleParameter("signing-key-access", "identityName")));

        // During a rotation: on the previous key's secret too; with a relay password or a TOTP key, on its secret too.
        var rotating = template.Evaluate(template.OptInParameters);
        Assert.Equal(
            [SecretId(rotating, "funcauth-mfa-key"), SecretId(rotating, "funcauth-signing-key"), SecretId(rotating, "funcauth-signing-key-previous"), SecretId(rotating, "funcauth-smtp-password")],
            SecretsUserGrants(rotating).Select(g => rotating.Text(g, "scope")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Identity_gets_blob_data_owner_on_the_host_account_only()
    {
        var assignment = RoleAssignment(StorageBlobDataOwner);
        AssertScopedTo(assignment, "Microsoft.Storage/storageAccounts", "hostStorageAccountName", "host-storage");
    }

    [Fact]
    public void Identity_may_publish_telemetry_and_app_insights_refuses_local_auth()
    {
        var assignment = RoleAssignment(MonitoringMetricsPublisher);
        Assert.Contains("Microsoft.Insights/components", assignment.Resource.Str("scope"), StringComparison.Ordinal);

        var monitoring = template.Module("monitoring");
        var component = monitoring.OnlyResource("Microsoft.Insights/components");
        Assert.Equal("true", monitoring.ResolveString(component.Properties["DisableLocalAuth"]), ignoreCase: true);
        Assert.NotNull(component.Properties["WorkspaceResourceId"]);
        Assert.Contains("Authorization=AAD", AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"], StringComparison.Ordinal);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", AppSettings().Keys);
    }

    [Fact]
    public void Key_vault_audit_events_go_to_log_analytics()
    {
        var evaluation = template.Evaluate();
        var settings = evaluation.Only(DiagnosticSettings, "key-vault");
        Assert.Equal(ResourceId(Vaults, VaultName(evaluation)), evaluation.Text(settings, "scope"));
        AssertLogsToWorkspace(evaluation, settings, "AuditEvent");
    }

    [Fact]
    public void Data_account_table_reads_writes_and_deletes_go_to_log_analytics()
    {
        var evaluation = template.Evaluate();
        var settings = evaluation.Only(DiagnosticSettings, "data-storage");
        Assert.Equal(
            ResourceId("Microsoft.Storage/storageAccounts/tableServices", DataAccountName(evaluation), "default"),
            evaluation.Text(settings, "scope"));
        AssertLogsToWorkspace(evaluation, settings, "StorageRead", "StorageWrite", "StorageDelete");
    }

    [Fact]
    public void Data_account_has_a_can_not_delete_lock_on_by_default()
    {
        Assert.True(template.Root.ParameterDefault("dataStorageDeleteLock")?.GetValue<bool>());
        Assert.True(template.DefaultParameters["dataStorageDeleteLock"]?.GetValue<bool>());

        var evaluation = template.Evaluate(template.DefaultParameters);
        var dataLock = evaluation.Only("Microsoft.Authorization/locks");
        Assert.Equal("CanNotDelete", evaluation.Text(dataLock, "properties", "level"));
        Assert.Equal(ResourceId(StorageAccounts, DataAccountName(evaluation)), evaluation.Text(dataLock, "scope"));

        // DATA_STORAGE_DELETE_LOCK=false leaves it out of the template (which does not remove a lock
        // that exists; see README).
        Assert.False(template.OptInParameters["dataStorageDeleteLock"]?.GetValue<bool>());
        Assert.Empty(template.Evaluate(template.OptInParameters).Deployed("Microsoft.Authorization/locks"));
    }

    [Fact]
    public void Private_networking_is_off_by_default_and_leaves_public_access_on()
    {
        Assert.False(template.Root.ParameterDefault("privateNetworking")?.GetValue<bool>());
        Assert.False(template.DefaultParameters["privateNetworking"]?.GetValue<bool>());

        var evaluation = template.Evaluate(template.DefaultParameters);
        Assert.All([VirtualNetworks, PrivateEndpoints, PrivateDnsZones, ZoneLinks, ZoneGroups], type => Assert.Empty(evaluation.Deployed(type)));
        Assert.Null(evaluation.Value(evaluation.Only("Microsoft.Web/sites"), "properties", "virtualNetworkSubnetId"));
        Assert.All(NetworkRestrictedResources(evaluation), resource =>
        {
            Assert.Equal("Enabled", evaluation.Text(resource, "properties", "publicNetworkAccess"));
            Assert.Equal("Allow", evaluation.Text(resource, "properties", "networkAcls", "defaultAction"));
        });
    }

    [Fact]
    public void Private_networking_puts_storage_and_key_vault_behind_private_endpoints_in_the_apps_network()
    {
        Assert.True(template.OptInParameters["privateNetworking"]?.GetValue<bool>());
        var evaluation = template.Evaluate(template.OptInParameters);

        // The network: a subnet delegated to Flex Consumption for the app, one for the endpoints.
        var vnet = evaluation.Only(VirtualNetworks);
        var vnetName = evaluation.Text(vnet, "name");
        var subnets = List(evaluation.Value(vnet, "properties", "subnets")).Select(Dict).ToDictionary(x => Text(x["name"]));
        Assert.Equal(["app", "private-endpoints"], subnets.Keys.Order(StringComparer.Ordinal));
        var delegation = Dict(Assert.Single(List(Dict(subnets["app"]["properties"])["delegations"])));
        Assert.Equal("Microsoft.App/environments", Text(Dict(delegation["properties"])["serviceName"]));

        // The app joins the delegated subnet.
        Assert.Equal(
            "<reference('network').outputs.appSubnetId.value>",
            evaluation.Text(evaluation.Only("Microsoft.Web/sites"), "properties", "virtualNetworkSubnetId"));
        Assert.Equal(ResourceId("Microsoft.Network/virtualNetworks/subnets", vnetName, "app"), Text(evaluation.ModuleOutput("network", "appSubnetId")));

        // One endpoint per resource and sub-resource, in the endpoint subnet.
        var targets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["table"] = ResourceId(StorageAccounts, DataAccountName(evaluation)),
            ["blob"] = ResourceId(StorageAccounts, evaluation.Text(evaluation.Only(StorageAccounts, "host-storage"), "name")),
            ["vault"] = ResourceId(Vaults, VaultName(evaluation)),
        };
        var endpoints = new Dictionary<string, ArmInstance>(StringComparer.Ordinal);
        foreach (var endpoint in evaluation.Deployed(PrivateEndpoints))
        {
            var connection = Dict(Dict(Assert.Single(List(evaluation.Value(endpoint, "properties", "privateLinkServiceConnections"))))["properties"]);
            var groupId = Text(Assert.Single(List(connection["groupIds"])));
            Assert.Equal(targets[groupId], Text(connection["privateLinkServiceId"]));
            Assert.Equal(ResourceId("Microsoft.Network/virtualNetworks/subnets", vnetName, "private-endpoints"), evaluation.Text(endpoint, "properties", "subnet", "id"));
            endpoints.Add(groupId, endpoint);
        }

        Assert.Equal(targets.Keys.Order(StringComparer.Ordinal), endpoints.Keys.Order(StringComparer.Ordinal));

        // Private DNS zones, each linked to the network and filled by its endpoint's zone group.
        var zones = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["table"] = "privatelink.table.core.windows.net",
            ["blob"] = "privatelink.blob.core.windows.net",
            ["vault"] = "privatelink.vaultcore.azure.net",
        };
        Assert.Equal(zones.Values.Order(StringComparer.Ordinal), evaluation.Deployed(PrivateDnsZones).Select(z => evaluation.Text(z, "name")).Order(StringComparer.Ordinal));
        Assert.All(evaluation.Deployed(PrivateDnsZones), z => Assert.Equal("global", evaluation.Text(z, "location")));
        var links = evaluation.Deployed(ZoneLinks);
        Assert.Equal(zones.Values.Select(z => $"{z}/{vnetName}").Order(StringComparer.Ordinal), links.Select(l => evaluation.Text(l, "name")).Order(StringComparer.Ordinal));
        Assert.All(links, l => Assert.Equal(ResourceId(VirtualNetworks, vnetName), evaluation.Text(l, "properties", "virtualNetwork", "id")));
        Assert.All(links, l => Assert.Equal(false, evaluation.Value(l, "properties", "registrationEnabled")));
        var groups = evaluation.Deployed(ZoneGroups);
        Assert.Equal(zones.Count, groups.Count);
        foreach (var (groupId, endpoint) in endpoints)
        {
            var group = Assert.Single(groups, g => evaluation.Text(g, "name") == $"{evaluation.Text(endpoint, "name")}/default");
            var config = Dict(Assert.Single(List(evaluation.Value(group, "properties", "privateDnsZoneConfigs"))));
            Assert.Equal(ResourceId(PrivateDnsZones, zones[groupId]), Text(Dict(config["properties"])["privateDnsZoneId"]));
        }

        // And the three refuse everything but their private endpoints.
        Assert.All(NetworkRestrictedResources(evaluation), resource =>
        {
            Assert.Equal("Disabled", evaluation.Text(resource, "properties", "publicNetworkAccess"));
            Assert.Equal("Deny", evaluation.Text(resource, "properties", "networkAcls", "defaultAction"));
        });
    }

    [Fact]
    public void Parameters_file_reads_every_opt_in_from_the_environment()
    {
        Assert.Equal(
            """{"environmentName":"funcauth-dev","location":"eastus2","principalId":"","signingKeyExists":false,"previousSigningKeySecretName":"","smtpHost":"","smtpUsername":"","smtpPasswordSecretName":"","emailFrom":"","mfaEncryptionKeySecretName":"","passkeyRelyingPartyId":"","adminBootstrapUsernames":[],"privateNetworking":false,"dataStorageDeleteLock":true}""",
            template.DefaultParameters.ToJsonString());
        Assert.Equal(
            """{"environmentName":"funcauth-dev","location":"eastus2","principalId":"","signingKeyExists":true,"previousSigningKeySecretName":"funcauth-signing-key-previous","smtpHost":"smtp.azurecomm.net","smtpUsername":"funcauth-relay","smtpPasswordSecretName":"funcauth-smtp-password","emailFrom":"no-reply@contoso.test","mfaEncryptionKeySecretName":"funcauth-mfa-key","passkeyRelyingPartyId":"contoso.test","adminBootstrapUsernames":["alice","bob"],"privateNetworking":true,"dataStorageDeleteLock":false}""",
            template.OptInParameters.ToJsonString());
    }

    [Fact]
    public void Role_assignment_names_are_deterministic_guids()
    {
        var assignments = template.AllResources().Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a => Assert.StartsWith("[guid(", a.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void No_output_is_secure_or_carries_a_secret()
    {
        foreach (var scope in template.AllTemplates())
        {
            foreach (var (name, output) in scope.Template.Obj("outputs", optional: true))
            {
                var type = output?.Str("type") ?? string.Empty;
                Assert.False(type.StartsWith("secure", StringComparison.OrdinalIgnoreCase), $"output {name} is {type}");
                var value = output?["value"]?.ToJsonString() ?? string.Empty;
                Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Outputs_name_the_app_its_url_the_data_account_and_the_vault()
    {
        var outputs = template.Root.Template.Obj("outputs");
        string[] expected = ["FUNCTION_APP_NAME", "FUNCTION_APP_URL", "DATA_STORAGE_ACCOUNT_NAME", "AZURE_KEY_VAULT_NAME", "AZURE_LOCATION", "APP_IDENTITY_NAME"];
        Assert.All(expected, name => Assert.NotNull(outputs[name]));
    }

    [Fact]
    public void Function_app_carries_the_azd_tags()
    {
        var module = template.Module("function-app");
        var tags = module.OnlyResource("Microsoft.Web/sites").Resource.Str("tags");
        Assert.Contains("'azd-service-name'", tags, StringComparison.Ordinal);
        Assert.Equal("api", module.ResolveString("[parameters('serviceName')]"));
        Assert.Contains("'azd-env-name'", template.Root.Template.Obj("variables").Str("allTags"), StringComparison.Ordinal);
    }

    /// <summary>The app settings with every parameter at its default.</summary>
    private IReadOnlyDictionary<string, string> AppSettings() => template.Evaluate().AppSettings();

    private static IReadOnlyDictionary<string, object?> Dict(object? value) => ArmEvaluation.Dict(value);

    private static IReadOnlyList<object?> List(object? value) => ArmEvaluation.List(value);

    private static string Text(object? value) => ArmEvaluation.Text(value);

    private static string ResourceId(params string[] typeAndNames) => new ArmOpaque("resourceId", typeAndNames).ToString();

    private static string VaultName(ArmEvaluation evaluation) => evaluation.Text(evaluation.Only(Vaults), "name");

    private static string DataAccountName(ArmEvaluation evaluation) => evaluation.Text(evaluation.Only(StorageAccounts, "data-storage"), "name");

    /// <summary>The full names (account/default/table) of the tables the evaluation deploys.</summary>
    private static List<string> TableNames(ArmEvaluation evaluation) => [.. evaluation.Deployed(Tables).Select(t => evaluation.Text(t, "name"))];

    private static string SecretId(ArmEvaluation evaluation, string secret) => ResourceId("Microsoft.KeyVault/vaults/secrets", VaultName(evaluation), secret);

    private static IEnumerable<ArmInstance> SecretsUserGrants(ArmEvaluation evaluation) =>
        evaluation.Deployed(RoleAssignments).Where(a => evaluation.Text(a, "properties", "roleDefinitionId").Contains(KeyVaultSecretsUser, StringComparison.Ordinal));

    /// <summary>The data account, the host account and the vault: what private networking closes.</summary>
    private static List<ArmInstance> NetworkRestrictedResources(ArmEvaluation evaluation)
    {
        List<ArmInstance> resources = [.. evaluation.Deployed(StorageAccounts), evaluation.Only(Vaults)];
        Assert.Equal(3, resources.Count);
        return resources;
    }

    /// <summary>The setting sends exactly <paramref name="categories"/> to the workspace the monitoring module creates.</summary>
    private void AssertLogsToWorkspace(ArmEvaluation evaluation, ArmInstance settings, params string[] categories)
    {
        Assert.Equal("<reference('monitoring').outputs.logAnalyticsId.value>", evaluation.Text(settings, "properties", "workspaceId"));
        Assert.Equal(
            "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName'))]",
            template.Module("monitoring").Template.Obj("outputs").Obj("logAnalyticsId").Str("value"));
        var logs = List(evaluation.Value(settings, "properties", "logs")).Select(Dict).ToList();
        Assert.All(logs, l => Assert.Equal(true, l["enabled"]));
        Assert.Equal(categories.Order(StringComparer.Ordinal), logs.Select(l => Text(l["category"])).Order(StringComparer.Ordinal));
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, program)));

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Runs azure.yaml's postprovision hook as azd would, from the repository root, with az and azd stubbed.</summary>
    private static (int ExitCode, string Output) RunHook(string bin, string tmp, bool signingKeyExists)
    {
        var root = BicepTemplateFixture.LocateRepositoryRoot();
        var yaml = File.ReadAllLines(Path.Combine(root, "azure.yaml"));
        var start = Array.FindIndex(yaml, l => l.Trim() == "run: |") + 1;
        Assert.True(start > 0, "azure.yaml has no postprovision run block.");
        var indent = yaml[start].Length - yaml[start].TrimStart().Length;
        var script = string.Join('\n', yaml.Skip(start)
            .TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent)
            .Select(l => l.Length >= indent ? l[indent..] : string.Empty));

        var run = new ProcessStartInfo("sh")
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        run.Environment["PATH"] = $"{bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}";
        run.Environment["TMPDIR"] = tmp;
        run.Environment["AZURE_KEY_VAULT_NAME"] = "kv-test";
        run.Environment["AZURE_RESOURCE_GROUP"] = "rg-test";
        run.Environment["APP_IDENTITY_NAME"] = "id-test";
        run.Environment["FUNCTION_APP_NAME"] = "func-test";
        run.Environment["SIGNING_KEY_SECRET_NAME"] = "funcauth-signing-key";
        run.Environment["SIGNING_KEY_EXISTS"] = signingKeyExists ? "true" : "false";
        using var process = Process.Start(run) ?? throw new InvalidOperationException("Could not start sh.");
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private ArmResource RoleAssignment(string roleDefinitionGuid)
    {
        var matches = template.AllResources()
            .Where(r => r.Type == "Microsoft.Authorization/roleAssignments")
            .Where(r => r.Scope.ResolveVariables(r.Properties.Str("roleDefinitionId")).Contains(roleDefinitionGuid, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var assignment = Assert.Single(matches);
        Assert.Equal("ServicePrincipal", assignment.Properties.Str("principalType"));
        Assert.Contains("userAssignedIdentities", assignment.Properties.Str("principalId"), StringComparison.Ordinal);
        return assignment;
    }

    /// <summary>
    /// The assignment's scope is <paramref name="resourceType"/> named by the module parameter
    /// <paramref name="parameter"/>, and main.bicep feeds that parameter the name the module
    /// <paramref name="ownerModule"/> gives the resource it creates.
    /// </summary>
    private void AssertScopedTo(ArmResource assignment, string resourceType, string parameter, string ownerModule)
    {
        var scope = assignment.Resource.Str("scope");
        Assert.Equal($"[resourceId('{resourceType}', parameters('{parameter}'))]", scope);
        var module = assignment.Scope;
        Assert.Equal(template.Module(ownerModule).Parameter("name").ToJsonString(), module.Parameter(parameter).ToJsonString());
    }

    private static string ChildName(string nameExpression)
    {
        var match = Regex.Match(nameExpression, @"'([^']+)'\)\]$");
        return match.Success ? match.Groups[1].Value : nameExpression;
    }

    private static string ParameterName(string? expression)
    {
        var match = Regex.Match(expression ?? string.Empty, @"^\[parameters\('([^']+)'\)\]$");
        Assert.True(match.Success, $"expected [parameters('...')], got {expression}");
        return match.Groups[1].Value;
    }
}

/// <summary>
/// Builds and lints infra/ once per test class, and builds main.bicepparam twice: with the opt-in
/// environment variables unset and with all of them set. Refuses to start on any Bicep diagnostic.
/// </summary>
public sealed class BicepTemplateFixture : IAsyncLifetime
{
    /// <summary>What main.bicepparam reads besides the environment name, region and principal.</summary>
    public static readonly IReadOnlyDictionary<string, string> OptInEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PRIVATE_NETWORKING"] = "true",
        ["SIGNING_KEY_EXISTS"] = "true",
        ["PREVIOUS_SIGNING_KEY_SECRET_NAME"] = "funcauth-signing-key-previous",
        ["DATA_STORAGE_DELETE_LOCK"] = "false",
        ["SMTP_HOST"] = "smtp.azurecomm.net",
        ["SMTP_USERNAME"] = "funcauth-relay",
        ["SMTP_PASSWORD_SECRET_NAME"] = "funcauth-smtp-password",
        ["EMAIL_FROM"] = "no-reply@contoso.test",
        ["MFA_ENCRYPTION_KEY_SECRET_NAME"] = "funcauth-mfa-key",
        ["PASSKEY_RP_ID"] = "contoso.test",
        ["ADMIN_BOOTSTRAP_USERNAMES"] = "alice,bob",
    };

    private ArmScope? _root;

    public ArmScope Root => _root ?? throw new InvalidOperationException("Fixture not initialised.");

    /// <summary>Everything the Bicep CLI wrote to stderr (errors, warnings, lint findings).</summary>
    public IReadOnlyList<string> Diagnostics { get; private set; } = [];

    /// <summary>Parameter values main.bicepparam produces with none of <see cref="OptInEnvironment"/> set.</summary>
    public JsonObject DefaultParameters { get; private set; } = [];

    /// <summary>Parameter values main.bicepparam produces with all of <see cref="OptInEnvironment"/> set.</summary>
    public JsonObject OptInParameters { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var bicep = LocateBicep();
        var infra = Path.Combine(LocateRepositoryRoot(), "infra");
        var main = Path.Combine(infra, "main.bicep");
        var parameters = Path.Combine(infra, "main.bicepparam");
        var unset = OptInEnvironment.Keys.Concat(["AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_PRINCIPAL_ID"]).ToDictionary(k => k, _ => (string?)null);
        var optIn = unset.Select(p => p.Key).ToDictionary(k => k, k => OptInEnvironment.TryGetValue(k, out var v) ? v : null);

        var build = await RunAsync(bicep, null, "build", main, "--stdout");
        var lint = await RunAsync(bicep, null, "lint", main);
        var buildParams = await RunAsync(bicep, unset, "build-params", parameters, "--stdout");
        var buildOptInParams = await RunAsync(bicep, optIn, "build-params", parameters, "--stdout");

        var diagnostics = new List<string>();
        foreach (var (step, result) in new[] { ("build", build), ("lint", lint), ("build-params", buildParams), ("build-params (opt-ins set)", buildOptInParams) })
        {
            if (result.ExitCode != 0)
            {
                diagnostics.Add($"bicep {step} exited with {result.ExitCode}");
            }

            diagnostics.AddRange(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => $"{step}: {line}"));
        }

        Diagnostics = diagnostics;
        if (diagnostics.Count > 0)
        {
            throw new InvalidOperationException("Bicep reported diagnostics:" + Environment.NewLine + string.Join(Environment.NewLine, diagnostics));
        }

        var json = JsonNode.Parse(build.Stdout) as JsonObject ?? throw new InvalidOperationException("bicep build did not print a JSON object.");
        _root = new ArmScope(json, null, null);
        DefaultParameters = ParameterValues(buildParams.Stdout);
        OptInParameters = ParameterValues(buildOptInParams.Stdout);
    }

    /// <summary>
    /// Evaluates the compiled template for main.bicep parameter values (undeclared ones take their
    /// defaults; environmentName defaults to funcauth-test).
    /// </summary>
    public ArmEvaluation Evaluate(JsonObject? parameters = null)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase) { ["environmentName"] = "funcauth-test" };
        foreach (var (name, value) in parameters ?? [])
        {
            values[name] = value?.DeepClone();
        }

        return new ArmEvaluation(this, values);
    }

    /// <summary>The parameter values of a build-params result, as name: value.</summary>
    private static JsonObject ParameterValues(string buildParamsOutput)
    {
        var parametersJson = JsonNode.Parse(buildParamsOutput)?["parametersJson"]?.GetValue<string>()
            ?? throw new InvalidOperationException("bicep build-params did not print parametersJson.");
        var parameters = JsonNode.Parse(parametersJson)?["parameters"] as JsonObject ?? throw new InvalidOperationException("No parameters in parametersJson.");
        return new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value?["value"]?.DeepClone())));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The nested deployment main.bicep creates for module <paramref name="deploymentName"/>.</summary>
    public ArmScope Module(string deploymentName)
    {
        var deployment = Assert.Single(
            Root.Resources(),
            r => r.Type == "Microsoft.Resources/deployments" && r.Name == deploymentName);
        return new ArmScope(deployment.Properties.Obj("template"), deployment.Resource, Root);
    }

    /// <summary>The root template and every nested module template, depth first.</summary>
    public IEnumerable<ArmScope> AllTemplates()
    {
        var pending = new Stack<ArmScope>();
        pending.Push(Root);
        while (pending.Count > 0)
        {
            var scope = pending.Pop();
            yield return scope;
            foreach (var r in scope.Resources().Where(r => r.Type == "Microsoft.Resources/deployments"))
            {
                pending.Push(new ArmScope(r.Properties.Obj("template"), r.Resource, scope));
            }
        }
    }

    /// <summary>Every resource declared anywhere, nested deployments included.</summary>
    public IEnumerable<ArmResource> AllResources() => AllTemplates().SelectMany(t => t.Resources());

    private static string LocateBicep()
    {
        var path = typeof(BicepTemplateFixture).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "FuncAuth.BicepExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Bicep CLI not found at '{path}'. The test project must reference Azure.Bicep.CommandLine.linux-x64 with GeneratePathProperty=\"true\".");
        }

        // NuGet may extract the native executable without its execute bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }

        return path;
    }

    public static string LocateRepositoryRoot()
    {
        var overridden = Environment.GetEnvironmentVariable("FUNCAUTH_REPO_ROOT");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FuncAuth.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No FuncAuth.sln above {AppContext.BaseDirectory}; set FUNCAUTH_REPO_ROOT.");
    }

    /// <param name="environment">Variables to set (a null value removes the variable), or null to inherit all.</param>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string fileName, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>One ARM template (root or a module's nested template) and how it was called.</summary>
public sealed class ArmScope(JsonObject template, JsonObject? deployment, ArmScope? parent)
{
    public JsonObject Template { get; } = template;

    /// <summary>The Microsoft.Resources/deployments resource that deploys this template (null for the root).</summary>
    public JsonObject? Deployment => deployment;

    /// <summary>The template that declares <see cref="Deployment"/> (null for the root).</summary>
    public ArmScope? Parent => parent;

    /// <summary>Resources of this template: an array (languageVersion 1) or an object keyed by symbolic name (2.0).</summary>
    public IEnumerable<ArmResource> Resources()
    {
        IEnumerable<JsonNode?> nodes = Template["resources"] switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(p => p.Value),
            _ => [],
        };
        return nodes.OfType<JsonObject>().Select(r => new ArmResource(r, this));
    }

    public ArmResource OnlyResource(string type) => Assert.Single(Resources(), r => r.Type == type && !r.IsExisting);

    /// <summary>The value main.bicep passes to this module's parameter <paramref name="name"/>.</summary>
    public JsonNode Parameter(string name)
    {
        var parameters = deployment?.Obj("properties").Obj("parameters") ?? throw new InvalidOperationException("Root template has no caller.");
        return parameters.Obj(name)["value"] ?? throw new InvalidOperationException($"Parameter {name} is passed no value.");
    }

    public JsonNode? ParameterDefault(string name) => Template.Obj("parameters").Obj(name)["defaultValue"];

    /// <summary>
    /// Follows <c>[parameters('x')]</c> up through the callers (falling back to the declared default) and
    /// <c>[variables('x')]</c> within a template, until a literal is reached.
    /// </summary>
    public string ResolveString(JsonNode? node) =>
        Resolve(node) switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            var other => throw new InvalidOperationException($"Cannot resolve {node?.ToJsonString()} to a literal (got {other?.ToJsonString()})."),
        };

    public string ResolveString(string expression) => ResolveString(JsonValue.Create(expression));

    public JsonArray ResolveArray(JsonNode? node) =>
        Resolve(node) as JsonArray ?? throw new InvalidOperationException($"Cannot resolve {node?.ToJsonString()} to an array.");

    /// <summary>Replaces <c>variables('name').member</c> with the quoted literal it stands for.</summary>
    public string ResolveVariables(string expression) =>
        Regex.Replace(expression, @"variables\('([^']+)'\)\.([A-Za-z0-9_]+)", m =>
            Template.Obj("variables", optional: true)[m.Groups[1].Value]?[m.Groups[2].Value] is JsonValue v && v.TryGetValue<string>(out var s)
                ? $"'{s}'"
                : m.Value);

    private JsonNode? Resolve(JsonNode? node)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return node;
        }

        var parameter = Regex.Match(text, @"^\[parameters\('([^']+)'\)\]$");
        if (parameter.Success)
        {
            var name = parameter.Groups[1].Value;
            return deployment is not null && parent is not null
                ? parent.Resolve(Parameter(name))
                : Resolve(ParameterDefault(name));
        }

        var variable = Regex.Match(text, @"^\[variables\('([^']+)'\)(?:\.([A-Za-z0-9_]+))?\]$");
        if (variable.Success)
        {
            var resolved = Template.Obj("variables")[variable.Groups[1].Value];
            if (variable.Groups[2].Success)
            {
                resolved = resolved?[variable.Groups[2].Value];
            }

            return Resolve(resolved);
        }

        return text == "[true()]" ? JsonValue.Create(true) : text == "[false()]" ? JsonValue.Create(false) : node;
    }
}

/// <summary>A resource in a compiled template, with the template it belongs to.</summary>
public sealed record ArmResource(JsonObject Resource, ArmScope Scope)
{
    public string Type => Resource.Str("type");

    public string Name => Resource.Str("name");

    public bool IsExisting => Resource["existing"]?.GetValue<bool>() == true;

    public JsonObject Properties => Resource.Obj("properties");
}

/// <summary>One instance of a resource: the resource itself, or one iteration of a resource loop.</summary>
public sealed record ArmInstance(ArmResource Resource, int? Index)
{
    public string Type => Resource.Type;
}

/// <summary>
/// A value only Azure knows (resourceId, reference, guid, uniqueString, ...): the function, its
/// evaluated arguments and any property path read from its result.
/// </summary>
public sealed record ArmOpaque(string Function, IReadOnlyList<object?> Arguments, string Path = "")
{
    public ArmOpaque Member(string path) => this with { Path = Path + path };

    public override string ToString() => $"<{Function}({string.Join(", ", Arguments.Select(ArmEvaluation.Show))}){Path}>";
}

/// <summary>
/// The compiled template evaluated for one set of main.bicep parameter values: which resources
/// would be deployed (resource and module conditions, loops) and what their properties come to.
/// Values are null, string, long, bool, lists, dictionaries and <see cref="ArmOpaque"/>. Only the
/// template functions these templates use are evaluated; any other function is opaque.
/// </summary>
public sealed class ArmEvaluation(BicepTemplateFixture template, IReadOnlyDictionary<string, JsonNode?> rootParameters)
{
    /// <summary>The instances of resources of <paramref name="type"/> that this evaluation deploys.</summary>
    public IReadOnlyList<ArmInstance> Deployed(string type) =>
        [.. template.AllResources().Where(r => r.Type == type && !r.IsExisting).SelectMany(Instances).Where(IsDeployed)];

    public ArmInstance Only(string type) => Assert.Single(Deployed(type));

    /// <summary>The deployed instance of <paramref name="type"/> declared in module <paramref name="module"/>.</summary>
    public ArmInstance Only(string type, string module) =>
        Assert.Single(Deployed(type), i => i.Resource.Scope.Deployment?.Str("name") == module);

    /// <summary>A resource property (or the resource's own <c>name</c>, <c>scope</c>, ...) evaluated.</summary>
    public object? Value(ArmInstance instance, params string[] path)
    {
        JsonNode? node = instance.Resource.Resource;
        foreach (var step in path)
        {
            node = node?[step];
        }

        return new Context(this, instance.Resource.Scope, instance.Index).Evaluate(node);
    }

    public string Text(ArmInstance instance, params string[] path) => Text(Value(instance, path));

    /// <summary>The value main.bicep passes to module <paramref name="module"/>'s parameter.</summary>
    public object? ModuleParameter(string module, string name) => Parameter(template.Module(module), name);

    /// <summary>The value of module <paramref name="module"/>'s output <paramref name="name"/>.</summary>
    public object? ModuleOutput(string module, string name)
    {
        var scope = template.Module(module);
        return new Context(this, scope, null).Evaluate(scope.Template.Obj("outputs").Obj(name)["value"]);
    }

    /// <summary>The function app's settings, evaluated.</summary>
    public IReadOnlyDictionary<string, string> AppSettings()
    {
        var config = Assert.Single(Deployed("Microsoft.Web/sites/config"), i => Text(i, "name").EndsWith("/appsettings", StringComparison.Ordinal));
        return Dict(Value(config, "properties")).ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal);
    }

    public static IReadOnlyDictionary<string, object?> Dict(object? value) =>
        value as IReadOnlyDictionary<string, object?> ?? throw new InvalidOperationException($"Not an object: {Show(value)}");

    public static IReadOnlyList<object?> List(object? value) =>
        value as IReadOnlyList<object?> ?? throw new InvalidOperationException($"Not an array: {Show(value)}");

    /// <summary>The value as text, the way format() and concat() render it.</summary>
    public static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "True" : "False",
        long n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ArmOpaque o => o.ToString(),
        _ => Show(value),
    };

    /// <summary>The value as an expression argument: strings quoted.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"'{s}'",
        IReadOnlyList<object?> list => $"[{string.Join(", ", list.Select(Show))}]",
        IReadOnlyDictionary<string, object?> map => $"{{{string.Join(", ", map.Select(p => $"{p.Key}: {Show(p.Value)}"))}}}",
        _ => Text(value),
    };

    private IEnumerable<ArmInstance> Instances(ArmResource resource)
    {
        if (resource.Resource["copy"] is not JsonObject copy)
        {
            return [new ArmInstance(resource, null)];
        }

        var count = new Context(this, resource.Scope, null).Evaluate(copy["count"]) as long?
            ?? throw new InvalidOperationException($"Loop count of {resource.Name} is not a number.");
        return Enumerable.Range(0, (int)count).Select(i => new ArmInstance(resource, i));
    }

    private bool IsDeployed(ArmInstance instance)
    {
        if (!Condition(instance.Resource.Resource, instance.Resource.Scope, instance.Index))
        {
            return false;
        }

        for (var scope = instance.Resource.Scope; scope.Deployment is not null && scope.Parent is not null; scope = scope.Parent)
        {
            if (!Condition(scope.Deployment, scope.Parent, null))
            {
                return false;
            }
        }

        return true;
    }

    private bool Condition(JsonObject resource, ArmScope scope, int? index) =>
        resource["condition"] is not { } condition
        || (new Context(this, scope, index).Evaluate(condition) as bool?
            ?? throw new InvalidOperationException($"Condition {condition.ToJsonString()} is not a bool."));

    private object? Parameter(ArmScope scope, string name)
    {
        if (scope.Deployment is not null && scope.Parent is not null)
        {
            var passed = scope.Deployment.Obj("properties").Obj("parameters")[name];
            if (passed is not null)
            {
                return new Context(this, scope.Parent, null).Evaluate(passed["value"]);
            }
        }
        else if (rootParameters.TryGetValue(name, out var supplied))
        {
            return FromJson(supplied);
        }

        var declared = scope.Template.Obj("parameters")[name] ?? throw new InvalidOperationException($"Unknown parameter {name}.");
        return declared["defaultValue"] is { } defaultValue
            ? new Context(this, scope, null).Evaluate(defaultValue)
            : throw new InvalidOperationException($"Parameter {name} has no value and no default.");
    }

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(p => p.Key, p => FromJson(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        _ => node.GetValue<string>(),
    };

    /// <summary>A lambda (map, filter, toObject…) with the context it was written in.</summary>
    private sealed record Lambda(IReadOnlyList<string> Names, ArmExpression.Node Body, Func<IReadOnlyDictionary<string, object?>, ArmExpression.Node, object?> Run)
    {
        public object? Invoke(params object?[] values) =>
            Run(Names.Select((name, i) => KeyValuePair.Create(name, values[i])).ToDictionary(StringComparer.OrdinalIgnoreCase), Body);
    }

    /// <summary>Evaluation inside one template, optionally inside one loop iteration and within lambdas' variables.</summary>
    private sealed class Context(ArmEvaluation evaluation, ArmScope scope, int? copyIndex, IReadOnlyDictionary<string, object?>? lambdaVariables = null)
    {
        public object? Evaluate(JsonNode? node) => node switch
        {
            JsonObject map => map.ToDictionary(p => p.Key, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
            JsonArray array => array.Select(Evaluate).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith("[[", StringComparison.Ordinal) => s[1..],
            JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith('[') && s.EndsWith(']') => Evaluate(ArmExpression.Parse(s[1..^1])),
            _ => FromJson(node),
        };

        private object? Evaluate(ArmExpression.Node node) => node switch
        {
            ArmExpression.Literal literal => literal.Value,
            ArmExpression.Member member => Member(Evaluate(member.Target), member.Name),
            ArmExpression.Index index => Index(Evaluate(index.Target), Evaluate(index.Key)),
            ArmExpression.Call call => Call(call),
            _ => throw new InvalidOperationException($"Unexpected node {node}."),
        };

        private static object? Member(object? target, string name) => target switch
        {
            IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"No property {name} in {Show(target)}."),
            ArmOpaque opaque => opaque.Member($".{name}"),
            _ => throw new InvalidOperationException($"Cannot read .{name} of {Show(target)}."),
        };

        private static object? Index(object? target, object? key) => (target, key) switch
        {
            (IReadOnlyList<object?> list, long i) => list[(int)i],
            (IReadOnlyDictionary<string, object?> map, string name) => Member(map, name),
            (ArmOpaque opaque, _) => opaque.Member($"[{Show(key)}]"),
            _ => throw new InvalidOperationException($"Cannot index {Show(target)} with {Show(key)}."),
        };

        private object? Call(ArmExpression.Call call)
        {
            var name = call.Name.ToLowerInvariant();
            if (name == "if")
            {
                // Only the branch taken is evaluated, as in Azure.
                var condition = Evaluate(call.Arguments[0]) as bool? ?? throw new InvalidOperationException($"if() on a non-bool in {call}.");
                return Evaluate(call.Arguments[condition ? 1 : 2]);
            }

            if (name == "lambda")
            {
                // Evaluated when called, with its variables added to those of the lambdas around it.
                var names = call.Arguments.SkipLast(1).Select(a => (string)((ArmExpression.Literal)a).Value!).ToList();
                return new Lambda(names, call.Arguments[^1], (variables, body) => new Context(
                    evaluation,
                    scope,
                    copyIndex,
                    (lambdaVariables ?? new Dictionary<string, object?>()).Concat(variables).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase)).Evaluate(body));
            }

            var args = call.Arguments.Select(Evaluate).ToList();
            return name switch
            {
                "lambdavariables" => lambdaVariables is not null && lambdaVariables.TryGetValue((string)args[0]!, out var variable)
                    ? variable
                    : throw new InvalidOperationException($"lambdaVariables('{args[0]}') outside its lambda."),
                "map" => List(args[0]).Select(item => ((Lambda)args[1]!).Invoke(item)).ToList(),
                "filter" => List(args[0]).Where(item => (bool)((Lambda)args[1]!).Invoke(item)!).ToList(),
                "range" => Enumerable.Range((int)(long)args[0]!, (int)(long)args[1]!).Select(i => (object?)(long)i).ToList(),
                "flatten" => List(args[0]).SelectMany(List).ToList(),
                "toobject" => List(args[0]).ToDictionary(
                    item => (string)((Lambda)args[1]!).Invoke(item)!,
                    item => args.Count > 2 ? ((Lambda)args[2]!).Invoke(item) : item,
                    StringComparer.OrdinalIgnoreCase),
                "parameters" => evaluation.Parameter(scope, (string)args[0]!),
                "variables" => Evaluate(scope.Template.Obj("variables")[(string)args[0]!] ?? throw new InvalidOperationException($"Unknown variable {args[0]}.")),
                "copyindex" => (long)(copyIndex ?? throw new InvalidOperationException("copyIndex() outside a loop.")) + (args.Count > 0 ? (long)args[0]! : 0),
                "true" => true,
                "false" => false,
                "null" => null,
                "not" => !(bool)args[0]!,
                "and" => args.All(a => (bool)a!),
                "or" => args.Any(a => (bool)a!),
                "equals" => Show(args[0]) == Show(args[1]),
                "empty" => args[0] switch
                {
                    null => true,
                    string s => s.Length == 0,
                    IReadOnlyList<object?> list => list.Count == 0,
                    IReadOnlyDictionary<string, object?> map => map.Count == 0,

                    // Names, IDs and references only Azure knows are never empty.
                    ArmOpaque => false,
                    _ => throw new InvalidOperationException($"empty() of {Show(args[0])} is not supported."),
                },
                "length" => args[0] switch
                {
                    string s => (long)s.Length,
                    IReadOnlyList<object?> list => list.Count,
                    IReadOnlyDictionary<string, object?> map => map.Count,
                    _ => throw new InvalidOperationException($"length() of {Show(args[0])} is only known in Azure."),
                },
                "createarray" => args,
                "createobject" => Enumerable.Range(0, args.Count / 2).ToDictionary(i => (string)args[2 * i]!, i => args[(2 * i) + 1], StringComparer.OrdinalIgnoreCase),
                "union" when args.All(a => a is IReadOnlyList<object?>) => args.Cast<IReadOnlyList<object?>>().SelectMany(l => l).DistinctBy(Show).ToList(),
                "union" => args.Cast<IReadOnlyDictionary<string, object?>>().SelectMany(m => m).GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase),
                "concat" when args.All(a => a is IReadOnlyList<object?>) => args.Cast<IReadOnlyList<object?>>().SelectMany(l => l).ToList(),
                "concat" => string.Concat(args.Select(Text)),
                "format" => System.Text.RegularExpressions.Regex.Replace((string)args[0]!, @"\{(\d+)\}", m => Text(args[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1])),
                "string" when args[0] is not ArmOpaque => Text(args[0]),
                "bool" when args[0] is bool or string => args[0] is bool b ? b : bool.Parse((string)args[0]!),
                "tolower" when args[0] is string s => s.ToLowerInvariant(),
                "replace" when args.All(a => a is string) => ((string)args[0]!).Replace((string)args[1]!, (string)args[2]!, StringComparison.Ordinal),
                "split" when args.All(a => a is string) => ((string)args[0]!).Split((string)args[1]!).Cast<object?>().ToList(),
                "last" when args[0] is IReadOnlyList<object?> list => list[^1],
                "coalesce" => args.FirstOrDefault(a => a is not null),
                "tryget" => args.Skip(1).Aggregate(args[0], (value, key) => value switch
                {
                    null => null,
                    IReadOnlyDictionary<string, object?> map => map.TryGetValue((string)key!, out var v) ? v : null,
                    ArmOpaque opaque when key is string name => opaque.Member($".{name}"),
                    _ => Index(value, key),
                }),
                "environment" => new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                {
                    ["name"] = "AzureCloud",
                    ["suffixes"] = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                    {
                        ["storage"] = "core.windows.net",
                        ["keyvaultDns"] = ".vault.azure.net",
                    },
                },
                _ => new ArmOpaque(call.Name, args),
            };
        }
    }
}

/// <summary>Parses the ARM template expression language: literals, function calls, .member and [index].</summary>
internal static class ArmExpression
{
    public abstract record Node;

    public sealed record Literal(object? Value) : Node;

    public sealed record Call(string Name, IReadOnlyList<Node> Arguments) : Node;

    public sealed record Member(Node Target, string Name) : Node;

    public sealed record Index(Node Target, Node Key) : Node;

    public static Node Parse(string text)
    {
        var position = 0;
        var node = ParseExpression(text, ref position);
        SkipSpaces(text, ref position);
        return position == text.Length ? node : throw new FormatException($"Unexpected '{text[position..]}' in [{text}].");
    }

    private static Node ParseExpression(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        Node node;
        if (text[position] == '\'')
        {
            var value = new StringBuilder();
            for (position++; ; position++)
            {
                if (text[position] == '\'' && position + 1 < text.Length && text[position + 1] == '\'')
                {
                    value.Append('\'');
                    position++;
                }
                else if (text[position] == '\'')
                {
                    position++;
                    break;
                }
                else
                {
                    value.Append(text[position]);
                }
            }

            node = new Literal(value.ToString());
        }
        else if (char.IsDigit(text[position]) || text[position] == '-')
        {
            var start = position++;
            while (position < text.Length && char.IsDigit(text[position]))
            {
                position++;
            }

            node = new Literal(long.Parse(text[start..position], System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            var name = Identifier(text, ref position);
            Expect(text, ref position, '(');
            var arguments = new List<Node>();
            SkipSpaces(text, ref position);
            while (text[position] != ')')
            {
                arguments.Add(ParseExpression(text, ref position));
                SkipSpaces(text, ref position);
                if (text[position] == ',')
                {
                    position++;
                }
            }

            position++;
            node = new Call(name, arguments);
        }

        while (true)
        {
            SkipSpaces(text, ref position);
            if (position < text.Length && text[position] == '.')
            {
                position++;
                node = new Member(node, Identifier(text, ref position));
            }
            else if (position < text.Length && text[position] == '[')
            {
                position++;
                var key = ParseExpression(text, ref position);
                Expect(text, ref position, ']');
                node = new Index(node, key);
            }
            else
            {
                return node;
            }
        }
    }

    private static string Identifier(string text, ref int position)
    {
        SkipSpaces(text, ref position);
        var start = position;
        while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$' or '#'))
        {
            position++;
        }

        return position > start ? text[start..position] : throw new FormatException($"Expected a name at {position} in [{text}].");
    }

    private static void Expect(string text, ref int position, char expected)
    {
        SkipSpaces(text, ref position);
        if (position >= text.Length || text[position] != expected)
        {
            throw new FormatException($"Expected '{expected}' at {position} in [{text}].");
        }

        position++;
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }
}

internal static class JsonNodeExtensions
{
    public static string Str(this JsonNode node, string property) =>
        node[property] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            null => throw new InvalidOperationException($"Missing '{property}' in {Shorten(node)}"),
            var other => other.ToJsonString(),
        };

    public static bool Bool(this JsonNode node, string property) =>
        node[property] is JsonValue v && v.TryGetValue<bool>(out var b)
            ? b
            : throw new InvalidOperationException($"'{property}' is not a literal bool in {Shorten(node)}");

    public static JsonObject Obj(this JsonNode node, string property, bool optional = false) =>
        node[property] as JsonObject
        ?? (optional ? new JsonObject() : throw new InvalidOperationException($"Missing object '{property}' in {Shorten(node)}"));

    private static string Shorten(JsonNode node)
    {
        var text = node.ToJsonString();
        return text.Length <= 300 ? text : text[..300] + "...";
    }
}
