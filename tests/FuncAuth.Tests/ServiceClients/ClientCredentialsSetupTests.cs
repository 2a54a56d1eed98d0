using System.Net;
using FuncAuth.Tests.Clients;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.ServiceClients;

/// <summary>
/// How the client credentials grant is set up and guarded: the start-up check of service clients, the grant offered
/// only when a client may use it, and secrets guessed no faster than passwords (the password budget, 429).
/// </summary>
public sealed class ClientCredentialsSetupTests(StorageFixture storage)
{
    private Task<string> StartupErrorAsync(IDictionary<string, string?> settings) =>
        StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, settings);

    private static Dictionary<string, string?> OneServiceClient(params (string Key, string? Value)[] changes)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:SigningKey"] = TestKeys.Es256,
            ["FuncAuth:Clients:0:ClientId"] = "svc",
            ["FuncAuth:Clients:0:ClientSecret"] = "svc-secret-0123456789abcdef",
            ["FuncAuth:Clients:0:AllowedGrantTypes:0"] = "client_credentials",
            ["FuncAuth:Clients:0:AllowedScopes:0"] = "orders.read",
        };
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    [Fact]
    public async Task A_service_client_needs_no_redirect_uri_and_may_hold_api_scopes()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, OneServiceClient(
            ("FuncAuth:Clients:0:AllowedScopes:1", "funcauth.admin"),
            ("FuncAuth:Clients:0:AllowedScopes:2", "api://orders/Orders.Write"),
            ("FuncAuth:Clients:0:AllowedScopes:3", "urn:example:scope_1-a")));
        using var client = app.CreateClient();
        using var response = await client.ClientCredentialsAsync(ServiceClients.Basic("svc", "svc-secret-0123456789abcdef"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        Assert.Equal("orders.read funcauth.admin api://orders/Orders.Write urn:example:scope_1-a", json.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task The_grant_on_a_public_client_stops_start_up()
    {
        var message = await StartupErrorAsync(OneServiceClient(("FuncAuth:Clients:0:ClientSecret", null)));
        Assert.Contains("FuncAuth:Clients:0:AllowedGrantTypes lists client_credentials, which needs a confidential client: set FuncAuth:Clients:0:ClientSecret", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("openid")]
    [InlineData("offline_access")]
    public async Task A_service_client_without_an_api_scope_stops_start_up(string? onlyScope)
    {
        var message = await StartupErrorAsync(OneServiceClient(("FuncAuth:Clients:0:AllowedScopes:0", onlyScope)));
        Assert.Contains("FuncAuth:Clients:0:AllowedScopes needs at least one API scope (such as orders.read) for the client_credentials grant", message, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-secret-0123456789abcdef", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_client_that_also_signs_users_in_still_needs_its_redirect_uri()
    {
        var message = await StartupErrorAsync(OneServiceClient(("FuncAuth:Clients:0:AllowedGrantTypes:1", "authorization_code")));
        Assert.Contains("FuncAuth:Clients:0:RedirectUris needs at least one redirect URI", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_service_client_the_grant_is_not_offered()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, TestClients.Settings());
        using var client = app.CreateClient();
        using (var discovery = await client.GetAsync(".well-known/openid-configuration"))
        {
            using var json = await discovery.JsonAsync();
            Assert.DoesNotContain("client_credentials", json.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        }

        using var response = await client.ClientCredentialsAsync(ServiceClients.Basic(TestClients.Web, TestClients.WebSecret));
        await Expect.OAuthErrorAsync(response, "unsupported_grant_type");
    }

    [Fact]
    public async Task Secret_guesses_draw_on_the_password_budget_then_even_the_right_secret_gets_429()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, OneServiceClient(
            ("FuncAuth:Throttling:PermitLimit", "3"),
            ("FuncAuth:Throttling:Window", "00:10:00")));
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.ClientCredentialsAsync(ServiceClients.Basic("svc", $"guess-number-{i}"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await client.ClientCredentialsAsync(ServiceClients.Basic("svc", "svc-secret-0123456789abcdef"));
        Expect.Problem(right, HttpStatusCode.TooManyRequests);
        Assert.NotNull(right.Headers.RetryAfter);
        Assert.DoesNotContain(app.Logs.Events, e => e.Id == 4135);

        // Refreshes do not check a secret, so they do not draw on it: the token budget alone still lets them through.
        using var refresh = await client.RefreshAsync(new string('A', 43));
        await Expect.OAuthErrorAsync(refresh, "invalid_grant");
    }
}
