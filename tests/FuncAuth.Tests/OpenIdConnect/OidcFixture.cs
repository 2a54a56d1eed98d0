using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FuncAuth.Accounts;
using FuncAuth.Authorization;
using FuncAuth.Sessions;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// An app with registered clients (and so an ES256 key, as OIDC needs), and what the code grant's tests need before the
/// authorization endpoint and the sign-in page exist in this branch: a user, a browser session in the Sessions table as
/// the sign-in page starts it, and codes minted directly with <see cref="AuthorizationCodes"/>.
/// </summary>
internal static class OidcFixture
{
    public const string Password = "correct horse battery";

    public const string Spa = "spa";
    public const string SpaRedirect = "https://spa.test/callback";
    public const string Other = "other-spa";
    public const string OtherRedirect = "https://other.test/callback";
    public const string Web = "web";
    public const string WebSecret = "web-secret-of-32-characters-long!";
    public const string WebRedirect = "https://web.test/signin-oidc";

    public const string AllScopes = "openid profile email offline_access";

    /// <summary>Three clients: two public (PKCE only), one confidential.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Clients:0:ClientId"] = Spa,
            ["FuncAuth:Clients:0:RedirectUris:0"] = SpaRedirect,
            ["FuncAuth:Clients:1:ClientId"] = Other,
            ["FuncAuth:Clients:1:RedirectUris:0"] = OtherRedirect,
            ["FuncAuth:Clients:2:ClientId"] = Web,
            ["FuncAuth:Clients:2:ClientSecret"] = WebSecret,
            ["FuncAuth:Clients:2:RedirectUris:0"] = WebRedirect,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static FuncAuthApp App(StorageFixture storage, FakeTimeProvider? time = null, IDictionary<string, string?>? more = null) =>
        new(storage.ConnectionString, Settings(more)) { Time = time };

    /// <summary>Registers a user (with a confirmed address when <paramref name="email"/> is given) and answers the account.</summary>
    public static async Task<UserAccount> UserAsync(FuncAuthApp app, HttpClient client, string? email = null)
    {
        var name = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(name, Password))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        }

        Assert.True(Username.TryCreate(name, out var username, out _));
        var users = app.Services.GetRequiredService<UserStore>();
        var account = (await users.FindAsync(username!, default))!;
        if (email is not null)
        {
            account = (await users.TryUpdateEmailAsync(account, email, confirmed: true, default))!;
            account = (await users.FindAsync(username!, default))!;
        }

        return account;
    }

    /// <summary>A browser session of the user, as the sign-in page starts it; answers it and its (never usable) refresh token.</summary>
    public static async Task<(Session Session, string RefreshToken)> BrowserSessionAsync(FuncAuthApp app, UserAccount account)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var refreshToken = RefreshToken.New();
        var session = new Session(
            account.Id,
            SessionService.NewClientSessionId(),
            account.Username,
            CreatedAt: now,
            LastUsedAt: now,
            ExpiresAt: now.AddDays(1),
            RefreshExpiresAt: now.AddDays(1),
            CurrentHash: RefreshToken.HashOf(refreshToken),
            PreviousHash: null,
            RotatedAt: null,
            SealedSuccessor: null,
            Ancestors: [],
            ETag: default,
            Stamp: account.SecurityStamp,
            Kind: SessionKind.Browser);
        await app.Services.GetRequiredService<SessionStore>().StartAsync(session, default);
        return (session, refreshToken);
    }

    /// <summary>A PKCE pair (RFC 7636): a 43-character verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static AuthorizationGrant Grant(
        UserAccount account, Session browser, string challenge, string clientId = Spa, string redirectUri = SpaRedirect, string scope = AllScopes, string? nonce = "n-0S6_WzA2Mj") =>
        new(clientId, redirectUri, challenge, nonce, scope, account.Id, account.Username, browser.Id, browser.CreatedAt, ["pwd"]);

    public static Task<string> CodeAsync(FuncAuthApp app, AuthorizationGrant grant) =>
        app.Services.GetRequiredService<AuthorizationCodes>().IssueAsync(grant, default);

    /// <summary>Everything a signed-in user's code for <paramref name="clientId"/> needs: the account, its browser session, a code and its verifier.</summary>
    public static async Task<SignedIn> SignInAsync(
        FuncAuthApp app, HttpClient client, string clientId = Spa, string redirectUri = SpaRedirect, string scope = AllScopes, string? email = null)
    {
        var account = await UserAsync(app, client, email);
        var (browser, browserRefresh) = await BrowserSessionAsync(app, account);
        var (verifier, challenge) = Pkce();
        var grant = Grant(account, browser, challenge, clientId, redirectUri, scope);
        return new SignedIn(account, browser, browserRefresh, grant, await CodeAsync(app, grant), verifier);
    }

    /// <summary>POST api/auth/token, grant_type=authorization_code, as a public client.</summary>
    public static Task<HttpResponseMessage> ExchangeAsync(
        this HttpClient client, string code, string verifier, string clientId = Spa, string redirectUri = SpaRedirect) =>
        client.TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri), ("client_id", clientId), ("code_verifier", verifier));

    public static Task<HttpResponseMessage> UserInfoAsync(this HttpClient client, string token, HttpMethod? method = null) =>
        client.SendAsync(AuthClient.WithBearer(method ?? HttpMethod.Get, "api/auth/userinfo", token));

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    public static async Task<string> ErrorAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return json.RootElement.GetProperty("error").GetString()!;
    }
}

internal sealed record SignedIn(UserAccount Account, Session Browser, string BrowserRefreshToken, AuthorizationGrant Grant, string Code, string Verifier);
