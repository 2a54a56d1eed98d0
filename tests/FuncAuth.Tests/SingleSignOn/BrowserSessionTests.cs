using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Sessions;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>
/// The browser session as a session of the user (listed, ended by logout everywhere, never refreshable) and
/// <c>api/auth/end-session</c>: the confirmation, the anti-forgery check, and the end of the client sessions it started.
/// </summary>
public sealed class BrowserSessionTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task The_browser_session_is_listed_with_the_users_sessions_and_logout_everywhere_ends_it()
    {
        var (username, browser) = await SignedInBrowserAsync();
        var (access, _) = await Client.StartSessionAsync(username);

        using var listed = await (await Client.SessionsAsync(access)).JsonAsync();
        Assert.Equal(2, listed.RootElement.GetProperty("sessions").GetArrayLength());
        Assert.Equal(SignOutPage.ConfirmHeading, Heading(await browser.GetStringAsync(FuncAuthRoutes.EndSession)));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutEverywhereAsync(access)).StatusCode);

        // The cookie no longer names a live session: end-session has nothing to ask about.
        Assert.Equal(SignOutPage.SignedOutHeading, Heading(await browser.GetStringAsync(FuncAuthRoutes.EndSession)));
    }

    [Fact]
    public async Task A_password_change_ends_the_browser_session()
    {
        var (username, browser) = await SignedInBrowserAsync();
        var (access, _) = await Client.StartSessionAsync(username);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.ChangePasswordAsync(access, SignInForms.Password, "another fine passphrase")).StatusCode);

        Assert.Equal(SignOutPage.SignedOutHeading, Heading(await browser.GetStringAsync(FuncAuthRoutes.EndSession)));
    }

    [Fact]
    public async Task The_cookies_secret_cannot_be_spent_as_a_refresh_token_by_the_session_service()
    {
        var (_, _, secret) = await SignedInWithSecretAsync();
        var sessions = App.Services.GetRequiredService<SessionService>();

        Assert.NotNull(await sessions.FindBrowserAsync(secret, CancellationToken.None));

        // A direct session's refresh token is not a browser session's cookie.
        var (_, refresh) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        Assert.Null(await sessions.FindBrowserAsync(refresh, CancellationToken.None));
        Assert.Null(await sessions.FindBrowserAsync("not-a-secret", CancellationToken.None));
    }

    [Fact]
    public async Task Without_an_id_token_hint_end_session_asks_and_only_the_confirmation_with_its_token_signs_out()
    {
        var (username, browser) = await SignedInBrowserAsync();

        using var page = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?state=abc");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(SignOutPage.ConfirmHeading, Heading(html));
        Assert.Contains("<form method=\"post\" action=\"/api/auth/end-session\">", html, StringComparison.Ordinal);
        Assert.Equal("abc", SignInForms.Hidden(html, "state"));
        var csrf = SignInForms.Hidden(html, "csrf")!;

        // A form from elsewhere (no token, or a wrong one) is refused and changes nothing.
        using var forged = await browser.PostFormAsync(FuncAuthRoutes.EndSession, ("csrf", "forged"), ("state", "abc"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var noToken = await browser.PostFormAsync(FuncAuthRoutes.EndSession, ("state", "abc"));
        Assert.Equal(SignOutPage.ConfirmHeading, Heading(await noToken.Content.ReadAsStringAsync()));

        using var confirmed = await browser.PostFormAsync(FuncAuthRoutes.EndSession, ("csrf", csrf), ("state", "abc"));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal(SignOutPage.SignedOutHeading, Heading(await confirmed.Content.ReadAsStringAsync()));
        var cleared = SignInForms.SetCookie(confirmed, "funcauth.session");
        Assert.NotNull(cleared);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.Ordinal);

        var (access, _) = await Client.StartSessionAsync(username);
        using var listed = await (await Client.SessionsAsync(access)).JsonAsync();
        Assert.Single(listed.RootElement.GetProperty("sessions").EnumerateArray());
    }

    [Fact]
    public async Task Signing_out_ends_the_client_sessions_of_the_browser_session_and_their_access_tokens_but_no_other()
    {
        var (username, browser, secret) = await SignedInWithSecretAsync();
        var sessions = App.Services.GetRequiredService<SessionService>();
        var browserSession = (await sessions.FindBrowserAsync(secret, CancellationToken.None))!;
        var ofThisBrowser = await StartClientSessionAsync(browserSession, browserSession.Id);
        var ofAnotherBrowser = await StartClientSessionAsync(browserSession, "another-browser-session");
        var (direct, _) = await Client.StartSessionAsync(username);
        Assert.Equal(HttpStatusCode.OK, (await Client.VerifyAsync(ofThisBrowser)).StatusCode);

        var (html, _) = await browser.FormAsync(FuncAuthRoutes.EndSession);
        using var confirmed = await browser.PostFormAsync(FuncAuthRoutes.EndSession, ("csrf", SignInForms.Hidden(html, "csrf")));
        Assert.Equal(SignOutPage.SignedOutHeading, Heading(await confirmed.Content.ReadAsStringAsync()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.VerifyAsync(ofThisBrowser)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.VerifyAsync(ofAnotherBrowser)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.VerifyAsync(direct)).StatusCode);
        Assert.Null(await sessions.FindBrowserAsync(secret, CancellationToken.None));
        Assert.Contains(App.Logs.Events, e => e.Name == "BrowserSessionEnded" && e.Id == 4082);
        Assert.Contains(App.Logs.Lines, l => l.Contains($"Browser session {browserSession.Id}", StringComparison.Ordinal) && l.Contains("with 1 client sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ending_the_browser_session_from_the_sessions_api_ends_its_client_sessions_too()
    {
        var (username, _, secret) = await SignedInWithSecretAsync();
        var sessions = App.Services.GetRequiredService<SessionService>();
        var browserSession = (await sessions.FindBrowserAsync(secret, CancellationToken.None))!;
        var ofThisBrowser = await StartClientSessionAsync(browserSession, browserSession.Id);
        var (direct, _) = await Client.StartSessionAsync(username);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.EndSessionAsync(direct, browserSession.Id)).StatusCode);

        Assert.Null(await sessions.FindBrowserAsync(secret, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.VerifyAsync(ofThisBrowser)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.VerifyAsync(direct)).StatusCode);
    }

    [Fact]
    public async Task A_post_logout_redirect_without_a_client_is_an_error_page_never_a_redirect()
    {
        var (_, browser) = await SignedInBrowserAsync();

        using var response = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?post_logout_redirect_uri={Uri.EscapeDataString("https://evil.example/")}&state=x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        // Nothing was ended.
        Assert.Equal(SignOutPage.ConfirmHeading, Heading(await browser.GetStringAsync(FuncAuthRoutes.EndSession)));
    }

    [Fact]
    public async Task A_repeated_parameter_is_an_error_page()
    {
        using var browser = SignInForms.Browser(App);
        using var response = await browser.GetAsync($"{FuncAuthRoutes.EndSession}?state=a&state=b");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    private async Task<(string Username, HttpClient Browser)> SignedInBrowserAsync()
    {
        var (username, browser, _) = await SignedInWithSecretAsync();
        return (username, browser);
    }

    private async Task<(string Username, HttpClient Browser, string Secret)> SignedInWithSecretAsync()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        var browser = SignInForms.Browser(App);
        using var signedIn = await browser.SignInAsync(username);
        var cookie = SignInForms.SetCookie(signedIn, "funcauth.session")!;
        return (username, browser, Regex.Match(cookie, "^funcauth\\.session=([^;]+);").Groups[1].Value);
    }

    /// <summary>A client session as a code exchange starts one (helper T's flow), stored directly, and an access token of it.</summary>
    private async Task<string> StartClientSessionAsync(Session browser, string browserSessionId)
    {
        var now = DateTimeOffset.UtcNow;
        var session = browser with
        {
            Id = Guid.NewGuid().ToString("N")[..22],
            CurrentHash = RefreshToken.HashOf(RefreshToken.New()),
            Kind = SessionKind.Client,
            ClientId = "web-app",
            Scope = "openid",
            BrowserSessionId = browserSessionId,
            CreatedAt = now,
            LastUsedAt = now,
            ETag = default,
        };
        await App.Services.GetRequiredService<SessionStore>().StartAsync(session, CancellationToken.None);
        return App.Services.GetRequiredService<TokenIssuer>().Issue(session.UserId, session.Username, session.Id, session.ExpiresAt, "web-app", "openid").Token;
    }

    private static string Heading(string html) => System.Net.WebUtility.HtmlDecode(Regex.Match(html, "<h1>([^<]*)</h1>").Groups[1].Value);
}
