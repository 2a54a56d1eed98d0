using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// Discovery with registered clients (what OIDC relying parties read), and <c>FuncAuth:OAuth:PasswordGrantEnabled</c>:
/// off, the password grant is unsupported and leaves the metadata; on, registered clients still may not use it.
/// </summary>
public sealed class DiscoveryAndGrantOptionsTests(StorageFixture storage)
{
    [Fact]
    public async Task Discovery_describes_the_authorization_code_flow()
    {
        await using var app = OidcFixture.App(storage);
        using var client = app.CreateClient();
        using var metadata = JsonDocument.Parse(await client.GetStringAsync(".well-known/openid-configuration"));
        var root = metadata.RootElement;
        string[] Strings(string name) => [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

        Assert.Equal(FuncAuthApp.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/authorize", root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/userinfo", root.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/end-session", root.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["code"], Strings("response_types_supported"));
        Assert.Equal(["query", "form_post"], Strings("response_modes_supported"));
        Assert.Equal(["S256"], Strings("code_challenge_methods_supported"));
        Assert.Equal(["openid", "profile", "email", "offline_access"], Strings("scopes_supported"));
        Assert.Equal(["authorization_code", "password", "refresh_token", "urn:funcauth:grant-type:mfa"], Strings("grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], Strings("token_endpoint_auth_methods_supported"));
        Assert.Equal(["ES256"], Strings("id_token_signing_alg_values_supported"));
        Assert.Equal(["public"], Strings("subject_types_supported"));
        Assert.True(root.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        var claims = Strings("claims_supported");
        foreach (var claim in new[] { "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "sid", "amr", "preferred_username", "email", "email_verified" })
        {
            Assert.Contains(claim, claims);
        }

        Assert.Equal(claims.Length, claims.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task With_the_password_grant_off_it_is_unsupported_and_not_advertised()
    {
        await using var app = OidcFixture.App(storage, more: new Dictionary<string, string?> { ["FuncAuth:OAuth:PasswordGrantEnabled"] = "false" });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, OidcFixture.Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var refused = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", OidcFixture.Password));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unsupported_grant_type", await refused.ErrorAsync());

        using var metadata = JsonDocument.Parse(await client.GetStringAsync(".well-known/openid-configuration"));
        Assert.Equal(
            ["authorization_code", "refresh_token"],
            metadata.RootElement.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));

        // The code grant and refresh still work.
        var signedIn = await OidcFixture.SignInAsync(app, client);
        using var exchanged = await client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
    }

    [Fact]
    public async Task A_registered_client_may_not_use_the_password_grant_but_an_unregistered_client_id_is_ignored_as_before()
    {
        await using var app = OidcFixture.App(storage);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, OidcFixture.Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using (var asClient = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", OidcFixture.Password), ("client_id", OidcFixture.Spa)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, asClient.StatusCode);
            Assert.Equal("unauthorized_client", await asClient.ErrorAsync());
        }

        using var legacy = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", OidcFixture.Password), ("client_id", "my-app"));
        Assert.Equal(HttpStatusCode.OK, legacy.StatusCode);
        using var body = await legacy.JsonAsync();
        Assert.False(body.RootElement.TryGetProperty("id_token", out _));
        Assert.False(body.RootElement.TryGetProperty("scope", out _));
    }

    [Fact]
    public async Task Without_registered_clients_the_code_grant_is_unsupported()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        using var response = await client.TokenAsync(("grant_type", "authorization_code"), ("code", "x"), ("client_id", "spa"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", await response.ErrorAsync());
    }
}
