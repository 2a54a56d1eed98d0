using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Support;

/// <summary>
/// The Kestrel host's app (its real Program and pipeline) in memory, on real Table Storage, with tables
/// of its own so tests do not see each other's users. Settings override the defaults below.
/// </summary>
public sealed class FuncAuthApp : WebApplicationFactory<Program>
{
    /// <summary>The key tests sign with; base64 of 32 bytes.</summary>
    public const string SigningKey = "dGVzdC1zaWduaW5nLWtleS1vZi0zMi1ieXRlcy0hISE=";

    public const string Issuer = "https://funcauth.test";

    public const string Audience = "funcauth-tests";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    /// <summary>The setting of every table FuncAuth keeps (<c>FuncAuth:Storage:*TableName</c>): the one list tests use.</summary>
    public static IReadOnlyList<string> TableSettings { get; } =
        [.. new[] { "Users", "RevokedTokens", "Sessions", "LoginAttempts", "EmailAddresses", "OneTimeTokens", "Outbox", "Authenticators" }
            .Select(name => $"FuncAuth:Storage:{name}TableName")];

    /// <summary>Fresh table names, one random suffix for all: an app's own tables, or tables several apps share.</summary>
    public static Dictionary<string, string?> NewTableNames()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return TableSettings.ToDictionary(setting => setting, setting => (string?)(setting["FuncAuth:Storage:".Length..^"TableName".Length] + suffix));
    }

    public FuncAuthApp(string connectionString, IDictionary<string, string?>? settings = null, string environment = "Development")
    {
        _environment = environment;
        _settings = new Dictionary<string, string?>(NewTableNames())
        {
            ["FuncAuth:Storage:ConnectionString"] = connectionString,
            ["FuncAuth:Tokens:SigningKey"] = SigningKey,
            ["FuncAuth:Tokens:Issuer"] = Issuer,
            ["FuncAuth:Tokens:Audience"] = Audience,
            ["FuncAuth:Passwords:Iterations"] = "1000",

            // Every client of a test server is one address: tests of throttling itself set their own limit.
            ["FuncAuth:Throttling:PermitLimit"] = "100000",
            ["FuncAuth:Throttling:TokenRequestPermitLimit"] = "100000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeTimeProvider? Time { get; init; }

    /// <summary>More services for the app, e.g. an Azure pipeline policy that simulates a storage fault.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>False for an app whose storage is unreachable on purpose: there are no tables to delete.</summary>
    public bool DeleteTablesOnDispose { get; init; } = true;

    /// <summary>
    /// Settings for an app outside Development that never needs storage: https (as required there) to a loopback
    /// port where nothing listens; the background sync just fails. Use with <see cref="DeleteTablesOnDispose"/> off.
    /// </summary>
    public static Dictionary<string, string?> UnreachableProductionStorage() => new()
    {
        ["FuncAuth:Storage:ConnectionString"] =
            $"DefaultEndpointsProtocol=https;AccountName=funcauthnone;AccountKey={SigningKey};TableEndpoint=https://127.0.0.1:{FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort()}/funcauthnone",
        ["FuncAuth:Passwords:Iterations"] = "600000",
    };

    public string Setting(string key) => _settings[key] ?? string.Empty;

    public TableClient Table(string settingName) =>
        new TableServiceClient(Setting("FuncAuth:Storage:ConnectionString")).GetTableClient(Setting(settingName));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            if (Time is not null)
            {
                services.AddSingleton<TimeProvider>(Time);
            }

            TestServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!DeleteTablesOnDispose)
        {
            return;
        }

        // Leave a shared account (FUNCAUTH_TEST_STORAGE) as it was found.
        foreach (var table in TableSettings)
        {
            try
            {
                await Table(table).DeleteAsync();
            }
            catch (Azure.RequestFailedException)
            {
            }
        }
    }
}
