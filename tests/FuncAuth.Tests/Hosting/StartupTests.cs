using System.Net;
using FuncAuth.Storage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Hosting;

/// <summary>Configuration is checked at start-up: a deployed app without a sound key does not start at all.</summary>
public sealed class StartupTests(StorageFixture storage)
{
    // An account key the messages must never repeat (base64 of "a secret account key, never logged").
    private const string SecretKey = "YSBzZWNyZXQgYWNjb3VudCBrZXksIG5ldmVyIGxvZ2dlZA==";

    private const string Development = "Development";
    private const string Production = "Production";

    public static TheoryData<string, string, string, string> BadSettings() => new()
    {
        // setting, bad value, environment, what the message must say
        { "FuncAuth:Storage:ConnectionString", $"AccountKey={SecretKey};garbage", Development, "is not a valid storage connection string" },
        { "FuncAuth:Storage:ConnectionString", $"AccountName=funcauth;AccountKey={SecretKey}!", Development, "is not a valid storage connection string" },
        { "FuncAuth:Storage:ConnectionString", "UseDevelopmentStorage=true", Production, "accepted only in the Development environment" },
        { "FuncAuth:Storage:ConnectionString", $"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey={SecretKey};TableEndpoint=https://storage.example/devstoreaccount1", Production, "accepted only in the Development environment" },
        { "FuncAuth:Storage:ConnectionString", $"DefaultEndpointsProtocol=http;AccountName=funcauth;AccountKey={SecretKey};EndpointSuffix=core.windows.net", Production, "over https" },
        { "FuncAuth:Storage:ConnectionString", $"DefaultEndpointsProtocol=https;AccountName=funcauth;AccountKey={SecretKey};TableEndpoint=http://funcauth.table.core.windows.net", Production, "over https" },
        { "FuncAuth:Storage:TableServiceUri", "http://funcauth.table.core.windows.net", Production, "must be an absolute https URI" },
        { "FuncAuth:Storage:TableServiceUri", "funcauth.table.core.windows.net", Development, "must be an absolute https URI" },
        { "FuncAuth:Storage:UsersTableName", "9lives", Development, "must be 3-63 letters and digits" },
        { "FuncAuth:Storage:RevokedTokensTableName", "Tables", Development, "reserved name" },
        { "FuncAuth:Storage:RevokedTokensTableName", "USERS", Development, "must name different tables" },
        { "FuncAuth:Storage:SessionsTableName", "revokedtokens", Development, "must name different tables" },
        { "FuncAuth:Storage:SessionsTableName", "s", Development, "FuncAuth:Storage:SessionsTableName must be 3-63 letters and digits" },
        { "FuncAuth:Sessions:RefreshTokenLifetime", "00:01:00", Development, "FuncAuth:Sessions:RefreshTokenLifetime must be between 00:05:00 and 400.00:00:00" },
        { "FuncAuth:Sessions:SessionLifetime", "500.00:00:00", Development, "FuncAuth:Sessions:SessionLifetime must be between 00:05:00 and 400.00:00:00" },
        { "FuncAuth:Sessions:RefreshReuseInterval", "-00:00:01", Development, "FuncAuth:Sessions:RefreshReuseInterval must be between 00:00:00 (off) and 00:01:00" },
        { "FuncAuth:Sessions:RefreshReuseInterval", "00:02:00", Development, "FuncAuth:Sessions:RefreshReuseInterval must be between 00:00:00 (off) and 00:01:00" },
        { "FuncAuth:Sessions:PurgeInterval", "00:00:05", Development, "FuncAuth:Sessions:PurgeInterval must be between 00:01:00 and 1.00:00:00" },
        { "FuncAuth:Sessions:RefreshTokenLifetime", "fortnight", Development, "must be a time span" },
        { "FuncAuth:Storage:MaxRetries", "11", Development, "between 0 and 10" },
        { "FuncAuth:Storage:MaxRetries", "several", Development, "must be a whole number" },
        { "FuncAuth:Storage:NetworkTimeout", "00:05:00", Development, "at most 2 minutes" },
        { "FuncAuth:Storage:NetworkTimeout", "soon", Development, "must be a time span" },
        { "FuncAuth:Passwords:Iterations", "5000001", Development, "between 1 and 5000000" },
        { "FuncAuth:Passwords:Iterations", "lots", Development, "must be a whole number" },
        { "FuncAuth:Registration:Enabled", "nope", Development, "must be true or false" },
        { "FuncAuth:Docs:Enabled", "sometimes", Development, "must be true or false" },
        { "FuncAuth:Revocation:PurgeInterval", "60.00:00:00", Development, "between 00:01:00 and 1.00:00:00" },
        { "FuncAuth:Revocation:PurgeInterval", "00:00:10", Development, "between 00:01:00 and 1.00:00:00" },
        { "FuncAuth:Revocation:PurgeInterval", "banana", Development, "must be a time span" },
        { "FuncAuth:Tokens:Issuer", " ", Development, "must not be empty" },
        { "FuncAuth:Tokens:Audience", "", Development, "must not be empty" },
        { "FuncAuth:Tokens:AccessTokenLifetime", "2.00:00:00", Development, "between 00:01:00 and 1.00:00:00" },
        { "FuncAuth:Tokens:AccessTokenLifetime", "a while", Development, "must be a time span" },
        { "FuncAuth:Tokens:ClockSkew", "00:10:00", Development, "between 00:00:00 and 00:05:00" },
        { "FuncAuth:Tokens:ClockSkew", "banana", Development, "must be a time span" },
        { "FuncAuth:Tokens:ValidatedTokenCacheSize", "-1", Development, "between 0 (off) and 1000000" },
        { "FuncAuth:Tokens:ValidatedTokenCacheSize", "many", Development, "must be a whole number" },
        { "FuncAuth:Tokens:KeySetCacheDuration", "2.00:00:00", Development, "between 00:00:00 and 1.00:00:00" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_startup_naming_the_setting(string setting, string value, string environment, string expected)
    {
        var overrides = new Dictionary<string, string?> { [setting] = value };

        // One way to reach storage at a time, so the only failure is the one under test.
        if (setting == "FuncAuth:Storage:ConnectionString")
        {
            overrides["FuncAuth:Storage:TableServiceUri"] = null;
        }
        else if (setting == "FuncAuth:Storage:TableServiceUri")
        {
            overrides["FuncAuth:Storage:ConnectionString"] = null;
        }

        var error = await StartFailure(environment, overrides);
        Assert.Contains(setting, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, error, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{value}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Development, "UseDevelopmentStorage=true")]
    [InlineData(Development, "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + SecretKey + ";TableEndpoint=http://127.0.0.1:10002/devstoreaccount1")]
    [InlineData(Production, "DefaultEndpointsProtocol=https;AccountName=funcauth;AccountKey=" + SecretKey + ";EndpointSuffix=core.windows.net")]
    [InlineData(Production, "TableEndpoint=https://funcauth.table.core.windows.net;SharedAccessSignature=sv=2024-01-01&sig=abc")]
    public void Sound_connection_strings_are_accepted(string environment, string connectionString)
    {
        var validator = new StorageOptionsValidator(new HostingEnvironment { EnvironmentName = environment });
        var result = validator.Validate(null, new StorageOptions { ConnectionString = connectionString });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task A_local_data_path_that_is_no_path_stops_startup_naming_the_setting()
    {
        var failure = await StartFailure<InvalidOperationException>(Development, new()
        {
            ["FuncAuth:Tokens:SigningKey"] = null,
            ["FuncAuth:LocalDataPath"] = "data\0folder", // NUL: no file system takes it
        });
        Assert.Contains("FuncAuth:LocalDataPath must be a folder path", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_a_missing_signing_key_stops_startup_naming_the_setting()
    {
        var error = await StartFailure("Production", new() { ["FuncAuth:Tokens:SigningKey"] = null, ["FuncAuth:Passwords:Iterations"] = "600000" });
        Assert.Contains("FuncAuth:Tokens:SigningKey is required", error, StringComparison.Ordinal);
        Assert.Contains("FuncAuth__Tokens__SigningKey", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQta2V5")]
    public async Task A_weak_or_malformed_key_stops_startup(string key)
    {
        var error = await StartFailure("Production", new() { ["FuncAuth:Tokens:SigningKey"] = key, ["FuncAuth:Passwords:Iterations"] = "600000" });
        Assert.Contains("at least 32 random bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_the_password_cost_cannot_go_below_owasp()
    {
        var error = await StartFailure("Production", new() { ["FuncAuth:Passwords:Iterations"] = "1000" });
        Assert.Contains("FuncAuth:Passwords:Iterations", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_must_be_configured_one_way()
    {
        var error = await StartFailure("Development", new()
        {
            ["FuncAuth:Storage:TableServiceUri"] = "https://account.table.core.windows.net",
        });
        Assert.Contains("exactly one of FuncAuth:Storage:ConnectionString", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_a_generated_key_is_kept_so_tokens_survive_a_restart()
    {
        var folder = Directory.CreateTempSubdirectory("funcauth-key-").FullName;
        try
        {
            var settings = new Dictionary<string, string?> { ["FuncAuth:Tokens:SigningKey"] = null, ["FuncAuth:LocalDataPath"] = folder };
            string token;
            string users;
            await using (var first = new FuncAuthApp(storage.ConnectionString, settings))
            {
                using var client = first.CreateClient();
                token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
                users = first.Setting("FuncAuth:Storage:RevokedTokensTableName");
            }

            var keyFile = Path.Combine(folder, "signing-key.pem");
            Assert.Equal("ES256", TestTokens.Read(File.ReadAllText(keyFile)).Algorithm);
            Assert.Equal("ES256", TestTokens.HeaderOf(token)["alg"]!.GetValue<string>());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            await using var second = new FuncAuthApp(storage.ConnectionString, settings);
            using var again = second.CreateClient();
            using var verified = await again.VerifyAsync(token);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private Task<string> StartFailure(string environment, Dictionary<string, string?> overrides) =>
        StartupFailure.MessageAsync(storage.ConnectionString, environment, overrides);

    private Task<TException> StartFailure<TException>(string environment, Dictionary<string, string?> overrides)
        where TException : Exception =>
        StartupFailure.ThrowsAsync<TException>(storage.ConnectionString, environment, overrides);
}
