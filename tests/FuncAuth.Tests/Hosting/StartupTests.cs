using System.Net;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Hosting;

/// <summary>Configuration is checked at start-up: a deployed app without a sound key does not start at all.</summary>
public sealed class StartupTests(StorageFixture storage)
{
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

    // A host of its own rather than the factory's: a start that fails is then reported as it happened.
    private async Task<string> StartFailure(string environment, Dictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:ConnectionString"] = storage.ConnectionString,
            ["FuncAuth:Tokens:SigningKey"] = FuncAuthApp.SigningKey,
            ["FuncAuth:Passwords:Iterations"] = "1000",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFuncAuth(builder.Configuration);
        await using var app = builder.Build();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        return failure.Message;
    }
}
