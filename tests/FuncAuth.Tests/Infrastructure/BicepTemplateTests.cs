using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FuncAuth.Tests.Infrastructure;

/// <summary>
/// Compiles infra/main.bicep with the Bicep CLI restored from the Azure.Bicep.CommandLine package and
/// checks the security properties of the resulting ARM template. Nothing is deployed.
/// </summary>
public sealed class BicepTemplateTests(BicepTemplateFixture template) : IClassFixture<BicepTemplateFixture>
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    private static readonly string[] FuncAuthSettings =
    [
        "FuncAuth__Storage__TableServiceUri",
        "FuncAuth__Storage__UsersTableName",
        "FuncAuth__Storage__RevokedTokensTableName",
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

        // main.bicep passes variables('dataTableNames') = [parameters('usersTableName'), parameters('revokedTokensTableName')].
        var passed = module.Parameter("tableNames");
        var tableNames = template.Root.ResolveArray(passed).Select(n => template.Root.ResolveString(n)).ToList();
        Assert.Contains("Users", tableNames);
        Assert.Contains("RevokedTokens", tableNames);
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
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AZURE_CLIENT_ID"]);
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
        Assert.Contains("https://{0}", settings["FuncAuth__Tokens__Issuer"], StringComparison.Ordinal);
        Assert.Contains("defaultHostName", settings["FuncAuth__Tokens__Issuer"], StringComparison.Ordinal);

        var registration = ParameterName(module.Parameter("registrationEnabled").GetValue<string>());
        Assert.True(template.Root.ParameterDefault(registration)?.GetValue<bool>());
    }

    [Fact]
    public void Signing_key_is_a_key_vault_reference_to_a_secret_the_template_does_not_create()
    {
        var module = template.Module("function-app");
        var value = AppSettings()["FuncAuth__Tokens__SigningKey"];
        Assert.StartsWith("[format('@Microsoft.KeyVault(", value, StringComparison.Ordinal);
        Assert.Contains("SecretName=", value, StringComparison.Ordinal);
        Assert.Contains("funcauth-signing-key", module.ResolveString("[parameters('signingKeySecretName')]"), StringComparison.Ordinal);

        // The vault named in the reference is the vault the template creates.
        Assert.Equal(template.Module("key-vault").Parameter("name").ToJsonString(), module.Parameter("keyVaultName").ToJsonString());

        Assert.DoesNotContain(template.AllResources(), r => r.Type == "Microsoft.KeyVault/vaults/secrets");
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
    public void Identity_gets_key_vault_secrets_user_on_the_vault_only()
    {
        var assignment = RoleAssignment(KeyVaultSecretsUser);
        AssertScopedTo(assignment, "Microsoft.KeyVault/vaults", "keyVaultName", "key-vault");
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
        string[] expected = ["FUNCTION_APP_NAME", "FUNCTION_APP_URL", "DATA_STORAGE_ACCOUNT_NAME", "AZURE_KEY_VAULT_NAME", "AZURE_LOCATION"];
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

    private Dictionary<string, string> AppSettings()
    {
        var config = Assert.Single(
            template.Module("function-app").Resources(),
            r => r.Type == "Microsoft.Web/sites/config" && ChildName(r.Name) == "appsettings");
        return config.Properties.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
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

/// <summary>Builds and lints infra/ once per test class; refuses to start on any Bicep diagnostic.</summary>
public sealed class BicepTemplateFixture : IAsyncLifetime
{
    private ArmScope? _root;

    public ArmScope Root => _root ?? throw new InvalidOperationException("Fixture not initialised.");

    /// <summary>Everything the Bicep CLI wrote to stderr (errors, warnings, lint findings).</summary>
    public IReadOnlyList<string> Diagnostics { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var bicep = LocateBicep();
        var infra = Path.Combine(LocateRepositoryRoot(), "infra");
        var main = Path.Combine(infra, "main.bicep");

        var build = await RunAsync(bicep, "build", main, "--stdout");
        var lint = await RunAsync(bicep, "lint", main);
        var buildParams = await RunAsync(bicep, "build-params", Path.Combine(infra, "main.bicepparam"), "--stdout");

        var diagnostics = new List<string>();
        foreach (var (step, result) in new[] { ("build", build), ("lint", lint), ("build-params", buildParams) })
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

    private static string LocateRepositoryRoot()
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

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string fileName, params string[] arguments)
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
