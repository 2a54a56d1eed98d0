using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Http;
using FuncAuth.OpenIdConnect;
using FuncAuth.Sessions;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>
/// end-session with a registered client: an <c>id_token_hint</c> of the browser's session signs out at once and redirects
/// to a registered post-logout URI with <c>state</c>; an unregistered URI or a forged hint is an error page, never a
/// redirect.
/// </summary>
public sealed class EndSessionWithClientsTests(StorageFixture storage)
{
    private const string ClientId = "web-app";
    private const string SignedOutUri = "https://app.example/signed-out";

    [Fact]
    public async Task A_hint_of_the_browsers_session_signs_out_at_once_and_redirects_to_the_registered_uri_with_state()
    {
        await using var app = AppWithClient();
        var (browser, session) = await SignedInAsync(app);
        var hint = Hint(app, session);

        using var response = await browser.GetAsync(
            $"{FuncAuthRoutes.EndSession}?id_token_hint={hint}&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri)}&state=st%201");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"{SignedOutUri}?state=st%201", response.Headers.Location!.OriginalString);
        Assert.Contains("expires=Thu, 01 Jan 1970", SignInForms.SetCookie(response, "funcauth.session")!, StringComparison.Ordinal);
        Assert.Null(await app.Services.GetRequiredService<BrowserSessions>().FindAsync(FakeRequest(session.Secret), CancellationToken.None));
    }

    [Fact]
    public async Task A_post_logout_uri_not_registered_for_the_client_is_an_error_page_and_nothing_is_ended()
    {
        await using var app = AppWithClient();
        var (browser, session) = await SignedInAsync(app);

        foreach (var query in new[]
        {
            $"client_id={ClientId}&post_logout_redirect_uri={Uri.EscapeDataString("https://evil.example/")}",
            $"id_token_hint={Hint(app, session)}&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri + "/x")}",
            $"client_id=unknown-client&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri)}",
        })
        {
            using var response = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
        }

        Assert.NotNull(await app.Services.GetRequiredService<BrowserSessions>().FindAsync(FakeRequest(session.Secret), CancellationToken.None));
    }

    [Fact]
    public async Task A_hint_that_is_not_an_id_token_of_this_issuer_or_names_another_client_is_refused()
    {
        await using var app = AppWithClient();
        var (browser, session) = await SignedInAsync(app);

        using var forged = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?id_token_hint=eyJhbGciOiJub25lIn0.e30.");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var otherClient = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?id_token_hint={Hint(app, session)}&client_id=another-app");
        Assert.Equal(HttpStatusCode.BadRequest, otherClient.StatusCode);
        Assert.NotNull(await app.Services.GetRequiredService<BrowserSessions>().FindAsync(FakeRequest(session.Secret), CancellationToken.None));
    }

    [Fact]
    public async Task A_hint_of_another_users_session_only_gets_the_confirmation_page()
    {
        await using var app = AppWithClient();
        var (browser, _) = await SignedInAsync(app);
        var (_, someoneElse) = await SignedInAsync(app);

        using var response = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?id_token_hint={Hint(app, someoneElse)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<h1>{SignOutPage.ConfirmHeading}</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_confirmation_pages_form_may_lead_only_to_the_registered_post_logout_uri()
    {
        await using var app = AppWithClient();
        var (browser, _) = await SignedInAsync(app);

        // Browsers apply form-action to the redirect after the form's POST: the registered URI's origin, and nothing else.
        using var response = await browser.GetAsync(
            $"{FuncAuthRoutes.EndSession}?client_id={ClientId}&post_logout_redirect_uri={Uri.EscapeDataString(SignedOutUri)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<h1>{SignOutPage.ConfirmHeading}</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'self' https://app.example;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_again_in_the_same_browser_ends_the_session_its_cookie_named_before()
    {
        await using var app = AppWithClient();
        var (browser, first) = await SignedInAsync(app);
        var sessions = app.Services.GetRequiredService<SessionService>();

        // The next person at the same browser (or the same person with prompt=login): one single-sign-on session at a time,
        // so an end-session later cannot leave the earlier sign-in (and the apps it signed in) alive.
        var someoneElse = AuthClient.NewUsername();
        using (var api = app.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await api.RegisterAsync(someoneElse, SignInForms.Password)).StatusCode);
        }

        using var again = await browser.SignInAsync(someoneElse);
        var secret = Regex.Match(SignInForms.SetCookie(again, "funcauth.session")!, "^funcauth\\.session=([^;]+);").Groups[1].Value;

        Assert.Null(await sessions.FindBrowserAsync(first.Secret, CancellationToken.None));
        Assert.Equal(someoneElse, (await sessions.FindBrowserAsync(secret, CancellationToken.None))!.Username);
    }

    private FuncAuthApp AppWithClient()
    {
        var settings = TestKeys.Active(TestKeys.Es256);
        settings[$"{ClientOptions.SectionName}:0:ClientId"] = ClientId;
        settings[$"{ClientOptions.SectionName}:0:RedirectUris:0"] = "https://app.example/callback";
        settings[$"{ClientOptions.SectionName}:0:PostLogoutRedirectUris:0"] = SignedOutUri;
        settings[$"{ClientOptions.SectionName}:0:AllowedScopes:0"] = "openid";
        return new FuncAuthApp(storage.ConnectionString, settings);
    }

    private static async Task<(HttpClient Browser, (Session Session, string Secret) Signed)> SignedInAsync(FuncAuthApp app)
    {
        var username = AuthClient.NewUsername();
        using var api = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await api.RegisterAsync(username, SignInForms.Password)).StatusCode);
        var browser = SignInForms.Browser(app);
        using var signedIn = await browser.SignInAsync(username);
        var secret = Regex.Match(SignInForms.SetCookie(signedIn, "funcauth.session")!, "^funcauth\\.session=([^;]+);").Groups[1].Value;
        var session = await app.Services.GetRequiredService<SessionService>().FindBrowserAsync(secret, CancellationToken.None);
        return (browser, (session!, secret));
    }

    /// <summary>An ID token of the browser session, as the token endpoint issues one for a redeemed code.</summary>
    private static string Hint(FuncAuthApp app, (Session Session, string Secret) signed)
    {
        var browser = signed.Session;
        var grant = new AuthorizationGrant(
            ClientId, "https://app.example/callback", "challenge", "nonce", "openid", browser.UserId, browser.Username, browser.Id, browser.CreatedAt, ["pwd"]);
        var clientSession = browser with { Kind = SessionKind.Client, ClientId = ClientId, Scope = "openid", BrowserSessionId = browser.Id };
        return app.Services.GetRequiredService<IdTokens>().Issue(grant, clientSession);
    }

    private static Microsoft.AspNetCore.Http.HttpRequest FakeRequest(string secret)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Host = new Microsoft.AspNetCore.Http.HostString("localhost");
        context.Request.Headers.Cookie = $"{PageCookies.SessionName}={secret}";
        return context.Request;
    }
}
