using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FuncAuth.Accounts;
using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Http;
using FuncAuth.OpenIdConnect;
using FuncAuth.Revocation;
using FuncAuth.Sessions;
using FuncAuth.Storage;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Hosting;

/// <summary>
/// The Functions app cannot be built here, so what can drift between it and the core is checked as text:
/// its routes, its host.json, and the settings sample that <c>func start</c> users copy.
/// </summary>
public sealed class HostWiringTests
{
    private static readonly string Root = StorageFixture.RepositoryRoot;

    public static TheoryData<string> Routes() =>
        [.. typeof(FuncAuthRoutes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name)];

    public static TheoryData<string> Settings() =>
        [.. new[] { (typeof(StorageOptions), StorageOptions.SectionName), (typeof(TokenOptions), TokenOptions.SectionName), (typeof(PasswordOptions), PasswordOptions.SectionName), (typeof(RegistrationOptions), RegistrationOptions.SectionName), (typeof(RevocationOptions), RevocationOptions.SectionName), (typeof(SessionOptions), SessionOptions.SectionName), (typeof(LockoutOptions), LockoutOptions.SectionName), (typeof(ThrottlingOptions), ThrottlingOptions.SectionName), (typeof(DocsOptions), DocsOptions.SectionName), (typeof(AccountOptions), AccountOptions.SectionName), (typeof(EmailOptions), EmailOptions.SectionName), (typeof(SmtpOptions), EmailOptions.SectionName + ":Smtp"), (typeof(OAuthOptions), OAuthOptions.SectionName), (typeof(FuncAuth.Mfa.MfaOptions), FuncAuth.Mfa.MfaOptions.SectionName) }
            .SelectMany(o => o.Item1.GetProperties().Where(p => p.CanWrite && p.PropertyType != typeof(SmtpOptions)).Select(p => $"{o.Item2}:{p.Name}"))];

    /// <summary>Each setting of a registered client, as <c>FuncAuth:Clients:N:…</c> (lists as <c>…:M</c>).</summary>
    public static TheoryData<string> ClientSettings() =>
        [.. typeof(ClientRegistration).GetProperties().Select(p => p.PropertyType == typeof(string) ? p.Name : p.Name + ":M")];

    [Theory]
    [MemberData(nameof(ClientSettings))]
    public void Every_client_setting_is_shown_in_the_sample_and_the_readme(string setting)
    {
        Assert.Contains("FuncAuth__Clients__0__" + setting.Replace(":M", "__0", StringComparison.Ordinal), SampleValues().Keys);
        Assert.Contains($"`FuncAuth:Clients:N:{setting}`", File.ReadAllText(Path.Combine(Root, "README.md")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public void Every_route_has_one_function_using_the_shared_constant(string route)
    {
        var functions = string.Concat(Directory.GetFiles(Path.Combine(Root, "src", "FuncAuth.Functions"), "*.cs").Select(File.ReadAllText));

        // One function per declared endpoint on the route: a page's GET and its form's POST are two.
        var path = (string)typeof(FuncAuthRoutes).GetField(route)!.GetValue(null)!;
        var declared = Math.Max(1, FuncAuth.Http.Pipeline.FuncAuthEndpoints.All.Count(e => e.Route == path));
        Assert.Equal(declared, Regex.Count(functions, $@"Route = FuncAuthRoutes\.{route}\)"));
        Assert.DoesNotContain("Route = \"", functions, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_json_removes_the_route_prefix_so_routes_are_spelled_in_full()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.All(
            typeof(FuncAuthRoutes).GetFields().Select(f => (string)f.GetValue(null)!),
            r => Assert.True(
                r.StartsWith("api/", StringComparison.Ordinal) || r.StartsWith(".well-known/", StringComparison.Ordinal) || r.StartsWith("auth/", StringComparison.Ordinal), r));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_setting_is_shown_in_the_sample_and_the_readme(string setting)
    {
        Assert.Contains(setting.Replace(":", "__", StringComparison.Ordinal), SampleValues().Keys);
        Assert.Contains($"`{setting}`", File.ReadAllText(Path.Combine(Root, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_settings_start_a_development_app_on_azurite()
    {
        var values = SampleValues();
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value)))
            .Build();
        var folder = Directory.CreateTempSubdirectory("funcauth-sample-").FullName;
        try
        {
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development, ContentRootPath = folder })
                .AddFuncAuth(configuration);
            using var provider = services.BuildServiceProvider();

            Assert.Equal("UseDevelopmentStorage=true", provider.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString);
            Assert.Null(provider.GetRequiredService<IOptions<StorageOptions>>().Value.TableServiceUri);
            Assert.Equal(PasswordOptions.RecommendedIterations, provider.GetRequiredService<IOptions<PasswordOptions>>().Value.Iterations);

            // No key in the sample: Development makes one in the local data folder.
            Assert.False(string.IsNullOrEmpty(provider.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKey));
            Assert.True(File.Exists(Path.Combine(folder, ".funcauth", "signing-key.pem")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string?> SampleValues()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")));
        Assert.False(sample.RootElement.GetProperty("IsEncrypted").GetBoolean());
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
    }
}
