using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// <c>grant_type=authorization_code</c> over HTTP: the tokens a code buys (the ID token checked with Microsoft.IdentityModel
/// against the published JWKS, as a relying party does), and every refusal: PKCE, client, redirect URI, reuse, expiry.
/// </summary>
public sealed class CodeGrantTests(StorageFixture storage) : AppTests(OidcFixture.App(storage))
{
    [Fact]
    public async Task A_code_buys_an_access_token_a_refresh_token_and_an_id_token_a_relying_party_validates()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client, email: "person@example.com");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var response = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = await response.JsonAsync();
        var root = body.RootElement;
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(OidcFixture.AllScopes, root.GetProperty("scope").GetString());
        var access = root.GetProperty("access_token").GetString()!;
        var refresh = root.GetProperty("refresh_token").GetString()!;
        var idToken = root.GetProperty("id_token").GetString()!;

        // The ID token, as a relying party checks it: the JWKS, the issuer, its own client id as audience, typ JWT.
        var keys = new JsonWebKeySet(await Client.GetStringAsync(".well-known/jwks.json")).GetSigningKeys();
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = FuncAuthApp.Issuer,
            ValidAudience = OidcFixture.Spa,
            IssuerSigningKeys = keys,
            ValidTypes = ["JWT"],
            ValidAlgorithms = ["ES256"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var id = (JsonWebToken)validation.SecurityToken;
        Assert.Equal(signedIn.Account.Id, id.Subject);
        Assert.Equal(OidcFixture.Spa, id.GetClaim("azp").Value);
        Assert.Equal("n-0S6_WzA2Mj", id.GetClaim("nonce").Value);
        Assert.Equal(signedIn.Browser.Id, id.GetClaim("sid").Value);
        Assert.Equal(signedIn.Browser.CreatedAt.ToUnixTimeSeconds(), id.GetPayloadValue<long>("auth_time"));
        Assert.Equal(["pwd"], id.GetPayloadValue<string[]>("amr"));
        Assert.Equal(signedIn.Account.Username, id.GetClaim("preferred_username").Value);
        Assert.Equal("person@example.com", id.GetClaim("email").Value);
        Assert.True(id.GetPayloadValue<bool>("email_verified"));
        Assert.InRange(id.GetPayloadValue<long>("iat"), before - 1, before + 5);
        Assert.True(id.ValidTo > DateTime.UtcNow.AddMinutes(1));
        Assert.Equal("JWT", id.Typ);

        // The access token: for the API audience, naming the client, its scope and its own (client) session.
        var claims = new JsonWebToken(access);
        Assert.Equal(FuncAuthApp.Audience, claims.GetClaim("aud").Value);
        Assert.Equal(OidcFixture.Spa, claims.GetClaim("client_id").Value);
        Assert.Equal(OidcFixture.AllScopes, claims.GetClaim("scope").Value);
        var clientSession = claims.GetClaim("sid").Value;
        Assert.NotEqual(signedIn.Browser.Id, clientSession);
        using (var verified = await Client.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // offline_access: the refresh token works for its client, and the session is listed with the user's sessions.
        using var refreshed = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Spa));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var (nextAccess, _) = await refreshed.TokensAsync();
        Assert.Equal(clientSession, AuthClient.SessionIdOf(nextAccess));
        using var sessions = await Client.SessionsAsync(nextAccess);
        using var list = await sessions.JsonAsync();
        Assert.Contains(clientSession, list.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Without_offline_access_there_is_no_refresh_token_and_without_openid_no_id_token()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client, scope: "openid");
        using (var response = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = await response.JsonAsync();
            Assert.False(body.RootElement.TryGetProperty("refresh_token", out _));
            var id = new JsonWebToken(body.RootElement.GetProperty("id_token").GetString());
            Assert.False(id.TryGetClaim("preferred_username", out _));
            Assert.False(id.TryGetClaim("email", out _));
        }

        var plain = await OidcFixture.SignInAsync(App, Client, scope: "profile");
        using (var response = await Client.ExchangeAsync(plain.Code, plain.Verifier))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = await response.JsonAsync();
            Assert.False(body.RootElement.TryGetProperty("id_token", out _));
            Assert.Equal("profile", body.RootElement.GetProperty("scope").GetString());
        }
    }

    [Fact]
    public async Task A_wrong_verifier_is_invalid_grant_and_spends_the_code()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using (var wrong = await Client.ExchangeAsync(signedIn.Code, OidcFixture.Pkce().Verifier))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal("invalid_grant", await wrong.ErrorAsync());
        }

        // One try per code: the right verifier afterwards finds it used.
        using var right = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal("invalid_grant", await right.ErrorAsync());
    }

    [Theory]
    [InlineData(null, "invalid_request")]
    [InlineData("too-short", "invalid_request")]
    [InlineData("plain-challenge-is-not-a-verifier-of-this-code-at-all", "invalid_grant")]
    public async Task A_missing_or_malformed_verifier_is_refused(string? verifier, string error)
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        (string, string)[] parameters = [("grant_type", "authorization_code"), ("code", signedIn.Code), ("redirect_uri", OidcFixture.SpaRedirect), ("client_id", OidcFixture.Spa)];
        using var response = await Client.TokenAsync(verifier is null ? parameters : [.. parameters, ("code_verifier", verifier)]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, await response.ErrorAsync());
        if (error == "invalid_request")
        {
            // A request refused for its form did not spend the code.
            using var retried = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }
    }

    [Fact]
    public async Task A_code_of_another_client_or_for_another_redirect_uri_is_invalid_grant()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using (var otherClient = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier, OidcFixture.Other, OidcFixture.OtherRedirect))
        {
            Assert.Equal("invalid_grant", await otherClient.ErrorAsync());
        }

        var second = await OidcFixture.SignInAsync(App, Client);
        using (var otherRedirect = await Client.ExchangeAsync(second.Code, second.Verifier, redirectUri: OidcFixture.SpaRedirect + "/"))
        {
            Assert.Equal("invalid_grant", await otherRedirect.ErrorAsync());
        }

        Assert.Contains(App.Logs.Events, e => e.Name == "AuthorizationCodeRefused");
    }

    [Fact]
    public async Task A_reused_code_is_refused_and_what_its_first_use_issued_is_revoked()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using var first = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var (access, refresh) = await first.TokensAsync();

        using (var again = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            Assert.Equal("invalid_grant", await again.ErrorAsync());
        }

        using (var verify = await Client.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        }

        using (var userInfo = await Client.UserInfoAsync(access))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        }

        using var refreshed = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Spa));
        Assert.Equal("invalid_grant", await refreshed.ErrorAsync());
        Assert.Contains(App.Logs.Events, e => e.Id == 4070);
    }

    [Fact]
    public async Task The_code_grant_needs_a_registered_client_that_authenticates()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using (var anonymous = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier, clientId: "nobody"))
        {
            Assert.Equal("invalid_client", await anonymous.ErrorAsync());
        }

        // A public client sending a secret is refused too; neither spent the code.
        using (var withSecret = await Client.TokenAsync(
            ("grant_type", "authorization_code"), ("code", signedIn.Code), ("redirect_uri", OidcFixture.SpaRedirect),
            ("client_id", OidcFixture.Spa), ("client_secret", "x"), ("code_verifier", signedIn.Verifier)))
        {
            Assert.Equal("invalid_client", await withSecret.ErrorAsync());
        }

        using var exchanged = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("post")]
    public async Task A_confidential_client_authenticates_with_basic_or_post(string method)
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client, OidcFixture.Web, OidcFixture.WebRedirect);
        HttpRequestMessage Request(string secret)
        {
            List<KeyValuePair<string, string>> form =
            [
                new("grant_type", "authorization_code"), new("code", signedIn.Code), new("redirect_uri", OidcFixture.WebRedirect),
                new("code_verifier", signedIn.Verifier),
            ];
            var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/token");
            if (method == "basic")
            {
                request.Headers.Authorization = OidcFixture.Basic(OidcFixture.Web, secret);
            }
            else
            {
                form.Add(new("client_id", OidcFixture.Web));
                form.Add(new("client_secret", secret));
            }

            request.Content = new FormUrlEncodedContent(form);
            return request;
        }

        using (var wrong = await Client.SendAsync(Request("not-the-secret")))
        {
            Assert.Equal(method == "basic" ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal("invalid_client", await wrong.ErrorAsync());
        }

        using (var withoutSecret = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier, OidcFixture.Web, OidcFixture.WebRedirect))
        {
            Assert.Equal("invalid_client", await withoutSecret.ErrorAsync());
        }

        using var right = await Client.SendAsync(Request(OidcFixture.WebSecret));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var (_, refresh) = await right.TokensAsync();

        // Its refresh, too, needs the secret.
        using (var unauthenticated = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Web)))
        {
            Assert.Equal("invalid_client", await unauthenticated.ErrorAsync());
        }

        using var refreshed = await Client.TokenAsync(
            ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Web), ("client_secret", OidcFixture.WebSecret));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_client_session_refreshes_only_for_its_client_and_a_browser_session_never()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using var exchanged = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        var (_, refresh) = await exchanged.TokensAsync();

        foreach (var clientId in new[] { OidcFixture.Other, "unregistered", null })
        {
            using var refused = clientId is null
                ? await Client.RefreshAsync(refresh)
                : await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", clientId));
            Assert.Equal("invalid_grant", await refused.ErrorAsync());
        }

        // Nothing was spent by the refusals: the token still works for its own client, once.
        using (var own = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Spa)))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // The browser session's refresh token (the cookie's session holds one no one is given) refreshes nothing.
        using var browser = await Client.RefreshAsync(signedIn.BrowserRefreshToken);
        Assert.Equal("invalid_grant", await browser.ErrorAsync());
        using var browserWithClient = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", signedIn.BrowserRefreshToken), ("client_id", OidcFixture.Spa));
        Assert.Equal("invalid_grant", await browserWithClient.ErrorAsync());
    }

    [Fact]
    public async Task A_code_from_an_ended_browser_session_or_of_a_changed_password_buys_nothing()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        var sessions = App.Services.GetService(typeof(FuncAuth.Sessions.SessionService)) as FuncAuth.Sessions.SessionService;
        Assert.True(await sessions!.EndAsync(signedIn.Account.Id, signedIn.Browser.Id, default));
        using (var ended = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier))
        {
            Assert.Equal("invalid_grant", await ended.ErrorAsync());
        }

        // A password change (which rotates the stamp) ends client sessions as any other.
        var second = await OidcFixture.SignInAsync(App, Client);
        using var exchanged = await Client.ExchangeAsync(second.Code, second.Verifier);
        var (_, refresh) = await exchanged.TokensAsync();
        var (login, _) = await Client.StartSessionAsync(second.Account.Username, OidcFixture.Password);
        using (var changed = await Client.ChangePasswordAsync(login, OidcFixture.Password, "tangerine otter lighthouse"))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        using var refreshed = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OidcFixture.Spa));
        Assert.Equal("invalid_grant", await refreshed.ErrorAsync());
    }
}

/// <summary>An expired code, on a fake clock (an app of its own).</summary>
public sealed class ExpiredCodeTests(StorageFixture storage)
{
    [Fact]
    public async Task A_code_older_than_sixty_seconds_is_invalid_grant()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = OidcFixture.App(storage, time);
        using var client = app.CreateClient();
        var signedIn = await OidcFixture.SignInAsync(app, client);
        time.Advance(TimeSpan.FromSeconds(61));

        using var response = await client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = await response.JsonAsync();
        Assert.Equal("invalid_grant", body.RootElement.GetProperty("error").GetString());
        Assert.Contains("expired", body.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }
}
