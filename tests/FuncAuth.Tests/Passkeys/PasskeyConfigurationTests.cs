using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Passkeys;

/// <summary>The relying party's settings (validated at start-up, derived from an https issuer), passkeys off, and storage faults.</summary>
public sealed class PasskeyConfigurationTests(StorageFixture storage)
{
    private static readonly string[] PasskeyRoutes =
        ["POST api/auth/passkeys/options", "POST api/auth/passkeys", "GET api/auth/passkeys", "DELETE api/auth/passkeys/AAAA", "POST api/auth/passkeys/login/options", "POST api/auth/passkeys/login"];

    [Theory]
    [InlineData("https://auth.example.com", null, "FuncAuth:Passkeys:RelyingPartyId must be a lower-case host name")]
    [InlineData("auth.example.com:443", null, "FuncAuth:Passkeys:RelyingPartyId must be a lower-case host name")]
    [InlineData("Auth.Example.com", null, "FuncAuth:Passkeys:RelyingPartyId must be a lower-case host name")]
    [InlineData("192.168.1.10", null, "FuncAuth:Passkeys:RelyingPartyId must be a lower-case host name")]
    [InlineData("example.com/auth", null, "FuncAuth:Passkeys:RelyingPartyId must be a lower-case host name")]
    [InlineData("example.com", "http://example.com", "FuncAuth:Passkeys:Origins: 'http://example.com' must be https (http only for localhost).")]
    [InlineData("example.com", "https://example.org", "FuncAuth:Passkeys:Origins: 'https://example.org' is not on the relying party's domain (example.com or a subdomain of it).")]
    [InlineData("example.com", "https://notexample.com", "is not on the relying party's domain")]
    [InlineData("example.com", "https://example.com/app", "FuncAuth:Passkeys:Origins: 'https://example.com/app' is not an origin")]
    [InlineData("example.com", "example.com", "is not an origin")]
    [InlineData(null, "https://example.com", "FuncAuth:Passkeys:Origins needs FuncAuth:Passkeys:RelyingPartyId")]
    public async Task A_relying_party_a_browser_would_refuse_stops_the_app_at_start_up_naming_the_setting(string? rpId, string? origin, string message)
    {
        var failure = await StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, new Dictionary<string, string?>
        {
            ["FuncAuth:Passkeys:RelyingPartyId"] = rpId,
            ["FuncAuth:Passkeys:Origins:0"] = origin,
        });
        Assert.Contains(message, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_over_64_characters_stops_the_app()
    {
        var failure = await StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, new Dictionary<string, string?>
        {
            ["FuncAuth:Passkeys:RelyingPartyName"] = new string('n', 65),
        });
        Assert.Contains("FuncAuth:Passkeys:RelyingPartyName must be 1 to 64 characters", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_relying_party_or_an_https_issuer_every_passkey_endpoint_is_a_404_before_anything_else()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Tokens:Issuer"] = "funcauth" });
        using var client = app.CreateClient();
        foreach (var route in PasskeyRoutes)
        {
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);

            // No token, no body: the 404 comes before the bearer check and the body's.
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Expect.Problem(response, HttpStatusCode.NotFound);
            Assert.StartsWith("Passkeys are not configured", await response.DetailAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Configured_origins_and_rp_id_are_the_ones_accepted_and_the_issuer_is_not()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Passkeys:RelyingPartyId"] = "example.com",
            ["FuncAuth:Passkeys:RelyingPartyName"] = "Example Sign-in",
            ["FuncAuth:Passkeys:Origins:0"] = "https://login.example.com",
            ["FuncAuth:Passkeys:Origins:1"] = "https://example.com:8443",
        });
        using var client = app.CreateClient();
        var (token, _) = await client.NewUserAsync();
        var options = PasskeyApi.Parse(await client.RegistrationOptionsAsync(token));
        Assert.Equal("example.com", options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("Example Sign-in", options.GetProperty("rp").GetProperty("name").GetString());

        using var fromIssuer = new SoftwareAuthenticator(FuncAuthApp.Issuer);
        using (var refused = await client.RegisterPasskeyAsync(token, fromIssuer.CreateAttestationJson(await client.RegistrationOptionsAsync(token))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var login = new SoftwareAuthenticator("https://login.example.com");
        await client.AddPasskeyAsync(token, login);
        login.Origin = "https://example.com:8443";
        using (var port = await client.SignInWithAsync(login))
        {
            Assert.Equal(HttpStatusCode.OK, port.StatusCode);
        }

        login.Origin = FuncAuthApp.Issuer;
        using var issuer = await client.SignInWithAsync(login);
        Assert.Equal(HttpStatusCode.Unauthorized, issuer.StatusCode);
    }

    [Fact]
    public async Task Localhost_over_http_is_a_relying_party_for_development()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:Issuer"] = "http://localhost:7071",
            ["FuncAuth:Passkeys:RelyingPartyId"] = "localhost",
            ["FuncAuth:Passkeys:Origins:0"] = "http://localhost:7071",
        });
        using var client = app.CreateClient();
        var (token, _) = await client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator("http://localhost:7071");
        await client.AddPasskeyAsync(token, authenticator);
        using var signIn = await client.SignInWithAsync(authenticator);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task A_storage_fault_is_a_503_with_retry_after_on_every_passkey_endpoint()
    {
        var fault = new TableOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Storage:MaxRetries"] = "0" })
        {
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(fault),
        };
        using var client = app.CreateClient();
        var (token, _) = await client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await client.AddPasskeyAsync(token, authenticator);
        var registrationOptions = await client.RegistrationOptionsAsync(token);
        var loginOptions = await client.LoginOptionsAsync();

        // The passkeys' table fails: everything that reads or writes a passkey says so, and asks to come back.
        fault.Table = app.Setting("FuncAuth:Storage:AuthenticatorsTableName");
        await Expect.UnavailableAsync(client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, "api/auth/passkeys/options", token)));
        await Expect.UnavailableAsync(client.ListPasskeysAsync(token));
        await Expect.UnavailableAsync(client.DeletePasskeyAsync(token, authenticator.CredentialIdText));
        await Expect.UnavailableAsync(client.PasskeyLoginAsync(authenticator.CreateAssertionJson(loginOptions)));
        using var other = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Expect.UnavailableAsync(client.RegisterPasskeyAsync(token, other.CreateAttestationJson(registrationOptions)));

        // The challenges' table fails: no options are handed out that could not be checked.
        fault.Table = app.Setting("FuncAuth:Storage:OneTimeTokensTableName");
        await Expect.UnavailableAsync(client.PostAsync("api/auth/passkeys/login/options", null));

        fault.Table = null;
        using var fine = await client.SignInWithAsync(authenticator);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    /// <summary>Fails every storage call to one table as a dropped connection would.</summary>
    private sealed class TableOutage : InspectingPolicy
    {
        private volatile string? _table;

        public string? Table
        {
            get => _table;
            set => _table = value;
        }

        protected override void Inspect(HttpMessage message)
        {
            if (_table is { } table && message.Request.Uri.Path.Contains("/" + table, StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException("Simulated outage: the connection was dropped.");
            }
        }
    }
}
