using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FuncAuth.Http.Pipeline;
using FuncAuth.Tests.Clients;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.ServiceClients;

/// <summary>
/// The token endpoint's client credentials grant (RFC 6749 §4.4) over the real HTTP pipeline: a confidential client
/// registered for it gets a token for itself (sub = client_id, API scopes, no username, no refresh token), verify and
/// revoke take it, user endpoints refuse it; every other caller is refused with the RFC 6749 §5.2 error it deserves.
/// </summary>
public sealed class ClientCredentialsGrantTests(StorageFixture storage)
    : AppTests(new FuncAuthApp(storage.ConnectionString, ServiceClients.Settings()))
{
    [Fact]
    public async Task A_service_client_authenticated_by_basic_gets_a_token_for_itself_with_every_api_scope_by_default()
    {
        using var response = await Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Orders, ServiceClients.OrdersSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = await response.JsonAsync();
        var body = json.RootElement;

        // Exactly these members: no refresh_token (§4.4.3), no id_token (no user signed in).
        Assert.Equal(["access_token", "expires_in", "scope", "token_type"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(15 * 60, body.GetProperty("expires_in").GetInt64());
        Assert.Equal("orders.read orders.write funcauth.admin", body.GetProperty("scope").GetString());

        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal("at+jwt", (string?)TestTokens.HeaderOf(token)["typ"]);
        var claims = TestTokens.PayloadOf(token);
        Assert.Equal(
            ["aud", "client_id", "exp", "iat", "iss", "jti", "nbf", "scope", "sub"],
            claims.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal(ServiceClients.Orders, (string?)claims["sub"]);
        Assert.Equal(ServiceClients.Orders, (string?)claims["client_id"]);
        Assert.Equal("orders.read orders.write funcauth.admin", (string?)claims["scope"]);
        Assert.Equal(FuncAuthApp.Issuer, (string?)claims["iss"]);
        Assert.Equal(FuncAuthApp.Audience, (string?)claims["aud"]);
        Assert.Equal(15 * 60, (long)claims["exp"]! - (long)claims["iat"]!);

        // A security event names the client and the scope, never the secret or the token.
        Assert.Contains(App.Logs.Events, e => e.Id == 4135 && e.Name == "ClientTokenIssued");
        Assert.Contains(App.Logs.Lines, l => l.Contains("ClientId=orders-service", StringComparison.Ordinal) && l.Contains("Scope=orders.read orders.write funcauth.admin", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains(ServiceClients.OrdersSecret, StringComparison.Ordinal) || l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Client_secret_post_works_too_and_the_scope_asked_is_the_scope_granted()
    {
        using var response = await Client.ClientCredentialsAsync(
            null, ("client_id", ServiceClients.Orders), ("client_secret", ServiceClients.OrdersSecret), ("scope", "funcauth.admin  orders.read funcauth.admin"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();

        // In the order asked, once each.
        Assert.Equal("funcauth.admin orders.read", json.RootElement.GetProperty("scope").GetString());
        Assert.Equal("funcauth.admin orders.read", (string?)TestTokens.PayloadOf(json.RootElement.GetProperty("access_token").GetString()!)["scope"]);
    }

    [Fact]
    public async Task Basic_carries_a_client_id_and_secret_that_need_form_encoding_and_a_user_scope_it_lists_is_never_granted()
    {
        using var response = await Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Reports, ServiceClients.ReportsSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        Assert.Equal("api://reports/read", json.RootElement.GetProperty("scope").GetString());

        using var openId = await Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Reports, ServiceClients.ReportsSecret), ("scope", "openid"));
        await Expect.OAuthErrorAsync(openId, "invalid_scope");
    }

    [Theory]
    [InlineData("orders.delete")]
    [InlineData("orders.read orders.delete")]
    [InlineData("openid")]
    [InlineData("orders.read offline_access")]
    [InlineData("profile email")]
    [InlineData("<script>alert(1)</script>")]
    public async Task A_scope_the_client_is_not_allowed_or_a_user_scope_is_invalid_scope_and_never_echoed(string scope)
    {
        using var response = await Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Orders, ServiceClients.OrdersSecret), ("scope", scope));
        await Expect.OAuthErrorAsync(response, "invalid_scope");
        if (scope.Contains("orders.delete", StringComparison.Ordinal) || scope.Contains('<', StringComparison.Ordinal))
        {
            Assert.DoesNotContain(scope.Split(' ')[^1], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains(App.Logs.Events, e => e.Id == 4136 && e.Name == "ClientCredentialsRefused");
        Assert.DoesNotContain(App.Logs.Events, e => e.Id == 4135);
    }

    [Fact]
    public async Task A_wrong_secret_is_invalid_client_401_with_a_basic_challenge_or_400_posted_and_logged_without_the_secret()
    {
        const string Wrong = "not-the-orders-secret-987654";
        using (var basic = await Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Orders, Wrong)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
            Assert.Equal("Basic realm=\"funcauth\", charset=\"UTF-8\"", basic.Challenge());
            using var json = await basic.JsonAsync();
            Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        }

        using (var posted = await Client.ClientCredentialsAsync(null, ("client_id", ServiceClients.Orders), ("client_secret", Wrong)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            Assert.Empty(posted.Headers.WwwAuthenticate);
            using var json = await posted.JsonAsync();
            Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        }

        Assert.Equal(2, App.Logs.Events.Count(e => e.Id == 4060));
        Assert.Equal(2, App.Logs.Lines.Count(l => l.Contains("ClientId=orders-service", StringComparison.Ordinal) && l.Contains("a wrong secret", StringComparison.Ordinal)));
        Assert.DoesNotContain(App.Logs.Lines, l => l.Contains(Wrong, StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Events, e => e.Id == 4135);
    }

    [Fact]
    public async Task A_public_client_an_unknown_client_and_no_client_are_invalid_client()
    {
        // A public client has no secret to prove.
        using (var spa = await Client.ClientCredentialsAsync(null, ("client_id", TestClients.Spa)))
        {
            await AssertInvalidClientAsync(spa, HttpStatusCode.BadRequest);
        }

        using (var spaBasic = await Client.ClientCredentialsAsync(new("Basic", Convert.ToBase64String("spa:"u8.ToArray()))))
        {
            await AssertInvalidClientAsync(spaBasic, HttpStatusCode.Unauthorized);
            Assert.StartsWith("Basic realm=", spaBasic.Challenge(), StringComparison.Ordinal);
        }

        // An unregistered id without a secret (the password grant's anonymous use) is nobody here.
        using (var unknown = await Client.ClientCredentialsAsync(null, ("client_id", "not-registered")))
        {
            await AssertInvalidClientAsync(unknown, HttpStatusCode.BadRequest);
        }

        using (var unknownWithSecret = await Client.ClientCredentialsAsync(ServiceClients.Basic("not-registered", "some-secret-value")))
        {
            await AssertInvalidClientAsync(unknownWithSecret, HttpStatusCode.Unauthorized);
        }

        using (var nobody = await Client.ClientCredentialsAsync(null))
        {
            await AssertInvalidClientAsync(nobody, HttpStatusCode.BadRequest);
        }

        Assert.DoesNotContain(App.Logs.Events, e => e.Id == 4135);
    }

    [Fact]
    public async Task A_confidential_client_not_registered_for_the_grant_is_unauthorized_client()
    {
        using var response = await Client.ClientCredentialsAsync(ServiceClients.Basic(TestClients.Web, TestClients.WebSecret));
        await Expect.OAuthErrorAsync(response, "unauthorized_client");
        Assert.Contains(App.Logs.Lines, l => l.Contains("ClientId=web-app", StringComparison.Ordinal) && l.Contains("not registered for the grant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_answers_the_client_token_with_sub_client_id_and_scope_and_no_username()
    {
        var token = await Client.OrdersTokenAsync("orders.read");
        using var response = await Client.VerifyAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        var body = json.RootElement;
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(ServiceClients.Orders, body.GetProperty("sub").GetString());
        Assert.Equal(ServiceClients.Orders, body.GetProperty("client_id").GetString());
        Assert.Equal("orders.read", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("username", out _));
        Assert.False(body.TryGetProperty("sid", out _));
        Assert.False(body.TryGetProperty("amr", out _));
        Assert.False(body.TryGetProperty("roles", out _));
        Assert.Equal(TestTokens.PayloadOf(token)["jti"]!.GetValue<string>(), body.GetProperty("jti").GetString());

        // A user's token still answers its username, and no client it was not issued to.
        var userToken = await Client.RegisterAndLoginAsync(AuthClient.NewUsername());
        using var user = await Client.VerifyAsync(userToken);
        using var userJson = await user.JsonAsync();
        Assert.True(userJson.RootElement.TryGetProperty("username", out _));
        Assert.False(userJson.RootElement.TryGetProperty("client_id", out _));
    }

    [Theory]
    [InlineData("GET", "api/auth/sessions")]
    [InlineData("POST", "api/auth/logout")]
    [InlineData("GET", "api/auth/userinfo")]
    public async Task A_user_endpoint_refuses_the_client_token_with_403_insufficient_scope(string method, string path)
    {
        var token = await Client.OrdersTokenAsync();
        using var response = await Client.SendAsync(AuthClient.WithBearer(new HttpMethod(method), path, token));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", response.Challenge(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bearer_endpoint_but_verify_and_the_admin_api_refuses_the_client_token_before_reading_anything()
    {
        var token = await Client.OrdersTokenAsync();
        var userEndpoints = FuncAuthEndpoints.All.Where(e => e.RequiresBearerToken && !e.RequiresAdmin && !e.AcceptsServiceClients).ToList();
        Assert.True(userEndpoints.Count >= 10, $"Only {userEndpoints.Count} user endpoints found.");
        foreach (var endpoint in userEndpoints)
        {
            var path = Regex.Replace(endpoint.Route, "{[^}]+}", "some-id");
            foreach (var method in endpoint.Methods)
            {
                using var response = await Client.SendAsync(AuthClient.WithBearer(new HttpMethod(method), path, token));
                Assert.True(
                    response.StatusCode == HttpStatusCode.Forbidden && response.Challenge().Contains("error=\"insufficient_scope\"", StringComparison.Ordinal),
                    $"{method} {path} answered {(int)response.StatusCode} {response.Challenge()}");
            }
        }
    }

    [Fact]
    public async Task Revoking_the_client_token_makes_verify_refuse_it_and_leaves_the_clients_other_tokens_alone()
    {
        var revoked = await Client.OrdersTokenAsync();
        var other = await Client.OrdersTokenAsync();
        using (var response = await Client.RevokeAsync(revoked, "access_token"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Expect.RevokedAsync(Client, revoked);
        using var stillGood = await Client.VerifyAsync(other);
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
    }

    [Fact]
    public async Task Racing_requests_each_get_their_own_token()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client.ClientCredentialsAsync(ServiceClients.Basic(ServiceClients.Orders, ServiceClients.OrdersSecret))));
        var ids = new List<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                ids.Add(TestTokens.PayloadOf(await response.AccessTokenAsync())["jti"]!.GetValue<string>());
            }
        }

        Assert.Equal(8, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Discovery_offers_the_grant()
    {
        using var response = await Client.GetAsync(".well-known/openid-configuration");
        using var json = await response.JsonAsync();
        Assert.Contains("client_credentials", json.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
    }

    private static async Task AssertInvalidClientAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        using var json = await response.JsonAsync();
        Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("error_description").ValueKind);
    }
}
