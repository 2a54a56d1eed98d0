using System.Net;
using FuncAuth.OpenIdConnect;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// userinfo (OpenID Connect Core §5.3) for the scopes a token was granted; and the two kinds of JWT kept apart: an ID token
/// is no access token anywhere a bearer token is taken, and an access token is no id_token_hint.
/// </summary>
public sealed class UserInfoAndIdTokenTests(StorageFixture storage) : AppTests(OidcFixture.App(storage))
{
    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Userinfo_answers_the_user_and_the_address_with_the_email_scope(string method)
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client, scope: "openid email", email: "someone@example.com");
        using var exchanged = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        var access = await exchanged.AccessTokenAsync();

        using var response = await Client.UserInfoAsync(access, new HttpMethod(method));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using var body = await response.JsonAsync();
        Assert.Equal(signedIn.Account.Id, body.RootElement.GetProperty("sub").GetString());
        Assert.Equal(signedIn.Account.Username, body.RootElement.GetProperty("preferred_username").GetString());
        Assert.Equal("someone@example.com", body.RootElement.GetProperty("email").GetString());
        Assert.True(body.RootElement.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task Userinfo_without_the_email_scope_has_no_address()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client, scope: "openid profile", email: "someone@example.com");
        using var exchanged = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        using var response = await Client.UserInfoAsync(await exchanged.AccessTokenAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await response.JsonAsync();
        Assert.Equal(signedIn.Account.Id, body.RootElement.GetProperty("sub").GetString());
        Assert.False(body.RootElement.TryGetProperty("email", out _));
        Assert.False(body.RootElement.TryGetProperty("email_verified", out _));
    }

    [Fact]
    public async Task A_token_without_the_openid_scope_is_insufficient_scope_and_none_is_401()
    {
        var (login, _) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        using (var response = await Client.UserInfoAsync(login))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var challenge = response.Challenge();
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
            Assert.Contains("scope=\"openid\"", challenge, StringComparison.Ordinal);
        }

        var code = await OidcFixture.SignInAsync(App, Client, scope: "profile");
        using var exchanged = await Client.ExchangeAsync(code.Code, code.Verifier);
        using (var withoutOpenId = await Client.UserInfoAsync(await exchanged.AccessTokenAsync()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, withoutOpenId.StatusCode);
        }

        using var anonymous = await Client.GetAsync("api/auth/userinfo");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Challenge());
    }

    [Fact]
    public async Task An_id_token_is_no_access_token_and_an_access_token_is_no_id_token_hint()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        using var exchanged = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        using var body = await exchanged.JsonAsync();
        var idToken = body.RootElement.GetProperty("id_token").GetString()!;
        var access = body.RootElement.GetProperty("access_token").GetString()!;

        // Typed JWT, not at+jwt, and for the client, not the API: refused wherever a bearer token is taken.
        foreach (var path in new[] { "api/auth/verify", "api/auth/userinfo", "api/auth/sessions", "api/auth/account" })
        {
            using var response = await Client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, path, idToken));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var idTokens = App.Services.GetRequiredService<IdTokens>();
        var hint = idTokens.ReadHint(idToken);
        Assert.NotNull(hint);
        Assert.Equal(signedIn.Account.Id, hint.Subject);
        Assert.Equal(OidcFixture.Spa, hint.ClientId);
        Assert.Equal(signedIn.Browser.Id, hint.SessionId);

        Assert.Null(idTokens.ReadHint(access));
        Assert.Null(idTokens.ReadHint(idToken[..^2] + (idToken[^2] == 'A' ? "B" : "A") + idToken[^1]));
        Assert.Null(idTokens.ReadHint(TestTokens.Sign(TestTokens.HeaderOf(idToken), TestTokens.PayloadOf(idToken), TestKeys.NewEs256())));

        // Our own key, but another issuer, or typed as an access token: not a hint either. The same, re-signed, is.
        var payload = TestTokens.PayloadOf(idToken);
        Assert.NotNull(idTokens.ReadHint(TestTokens.Sign(TestTokens.HeaderOf(idToken), payload, TestKeys.Es256)));
        var atHeader = TestTokens.HeaderOf(idToken);
        atHeader["typ"] = "at+jwt";
        Assert.Null(idTokens.ReadHint(TestTokens.Sign(atHeader, payload, TestKeys.Es256)));
        var otherIssuer = TestTokens.PayloadOf(idToken);
        otherIssuer["iss"] = "https://elsewhere.test";
        Assert.Null(idTokens.ReadHint(TestTokens.Sign(TestTokens.HeaderOf(idToken), otherIssuer, TestKeys.Es256)));
        Assert.Null(idTokens.ReadHint("not.a.jwt"));
    }
}
