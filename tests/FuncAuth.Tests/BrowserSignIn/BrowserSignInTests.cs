using System.Net;
using System.Text.Json;
using FuncAuth.Http;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// Browser sign-in end to end in a real browser (headless Chromium through chromedriver): two ASP.NET Core apps using
/// <c>AddOpenIdConnect</c> (code flow, PKCE) sign their visitors in at FuncAuth's hosted page, single sign-on carries the
/// second app through without the form, and RP-Initiated Logout from one app signs the user out of both. The page's
/// refusals (one generic message, lockout, CSRF) are driven through the same browser.
/// </summary>
public sealed class BrowserSignInTests(BrowserSignInFixture browser) : IClassFixture<BrowserSignInFixture>
{
    private ChromeDriver Driver => browser.Driver;

    [Fact]
    public async Task A_protected_page_sends_the_browser_to_the_sign_in_page_and_back_signed_in_with_the_users_claims()
    {
        var (username, email, subject) = await NewUserAsync();
        var app = browser.ConfidentialApp;
        var tokensBefore = app.Tokens.Count;

        Driver.Navigate().GoToUrl(app.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        Assert.Equal("username", Driver.FindElement(By.CssSelector("input[name=username]")).GetAttribute("autocomplete"));
        Assert.Equal("current-password", Driver.FindElement(By.CssSelector("input[name=password]")).GetAttribute("autocomplete"));
        browser.Screenshot("sign-in-page");

        browser.SignIn(username, BrowserSignInFixture.Password);

        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        var claims = Claims();
        Assert.Equal([subject], claims["sub"]);
        Assert.Equal([username], claims["preferred_username"]);
        Assert.Equal([email], claims["email"]);
        Assert.Equal(["true"], claims["email_verified"]);
        Assert.Equal($"Signed in to {app.Name}", Driver.FindElement(By.TagName("h1")).Text);

        // What the app received: an ID token for it, an access token for FuncAuth's audience naming the client and scopes.
        Assert.Equal(tokensBefore + 1, app.Tokens.Count);
        var tokens = app.Tokens.Last();
        var idToken = TestTokens.PayloadOf(tokens.IdToken!);
        Assert.Equal(browser.BaseAddress.AbsoluteUri.TrimEnd('/'), (string?)idToken["iss"]);
        Assert.Equal(subject, (string?)idToken["sub"]);
        Assert.Equal(app.Name, AudienceOf(idToken["aud"]));
        Assert.Equal(app.Name, (string?)idToken["azp"]);
        Assert.False(string.IsNullOrEmpty((string?)idToken["nonce"]), "The ID token has no nonce.");
        Assert.False(string.IsNullOrEmpty((string?)idToken["sid"]), "The ID token has no sid.");
        Assert.NotNull(idToken["auth_time"]);
        var accessToken = TestTokens.PayloadOf(tokens.AccessToken!);
        Assert.Equal(FuncAuthApp.Audience, AudienceOf(accessToken["aud"]));
        Assert.Equal(app.Name, (string?)accessToken["client_id"]);
        Assert.Contains("openid", ((string?)accessToken["scope"] ?? string.Empty).Split(' '));
        Assert.Contains("email", ((string?)accessToken["scope"] ?? string.Empty).Split(' '));

        // No refresh token: the app did not ask for offline_access.
        Assert.Null(tokens.RefreshToken);
    }

    [Fact]
    public async Task A_second_app_signs_in_without_the_form()
    {
        var (username, _, subject) = await NewUserAsync();
        SignInAt(browser.ConfidentialApp, username);
        var formLoads = SignInPageLoads();

        Driver.Navigate().GoToUrl(browser.PublicApp.Url("/"));

        Assert.Equal(browser.PublicApp.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([subject], Claims()["sub"]);
        Assert.Equal([username], Claims()["preferred_username"]);
        Assert.Equal(formLoads, SignInPageLoads());

        // Two clients, two sessions: the apps' ID tokens name the same browser session, their access tokens differ.
        var first = TestTokens.PayloadOf(browser.ConfidentialApp.Tokens.Last().IdToken!);
        var second = TestTokens.PayloadOf(browser.PublicApp.Tokens.Last().IdToken!);
        Assert.Equal((string?)first["sid"], (string?)second["sid"]);
        Assert.Equal(browser.PublicApp.Name, AudienceOf(second["aud"]));
        Assert.NotEqual(
            (string?)TestTokens.PayloadOf(browser.ConfidentialApp.Tokens.Last().AccessToken!)["sid"],
            (string?)TestTokens.PayloadOf(browser.PublicApp.Tokens.Last().AccessToken!)["sid"]);
    }

    [Fact]
    public async Task Signing_out_through_end_session_signs_out_of_both_apps()
    {
        var (username, _, _) = await NewUserAsync();
        SignInAt(browser.ConfidentialApp, username);
        Driver.Navigate().GoToUrl(browser.PublicApp.Url("/"));
        Assert.Equal(browser.PublicApp.Url("/").AbsoluteUri, Driver.Url);
        var confidentialToken = browser.ConfidentialApp.Tokens.Last().AccessToken!;
        var publicToken = browser.PublicApp.Tokens.Last().AccessToken!;
        using var funcAuth = browser.CreateClient();
        await AssertUserInfoAsync(funcAuth, publicToken, HttpStatusCode.OK);

        // The app's sign-out: its cookie goes, then end-session with its ID token, back to its registered address.
        var requestsBefore = browser.RequestTargets.Count;
        Driver.Navigate().GoToUrl(browser.ConfidentialApp.Url("/signout"));
        Assert.Equal(browser.ConfidentialApp.Url("/signed-out").AbsoluteUri, Driver.Url);
        Assert.Contains(browser.RequestTargets.Skip(requestsBefore), t => t.StartsWith("/" + FuncAuthRoutes.EndSession + "?", StringComparison.Ordinal));

        // Both apps' tokens are refused now: end-session ended the browser session and every client session from it.
        await AssertUserInfoAsync(funcAuth, confidentialToken, HttpStatusCode.Unauthorized);
        await AssertUserInfoAsync(funcAuth, publicToken, HttpStatusCode.Unauthorized);
        using (var verified = await funcAuth.VerifyAsync(publicToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, verified.StatusCode);
        }

        // The other app's next request finds its token refused, drops its cookie and sends the browser to FuncAuth,
        // which has no session any more: the form.
        var rejectedBefore = browser.PublicApp.RejectedSessions;
        Driver.Navigate().GoToUrl(browser.PublicApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"The second app's visit did not show the form: {Driver.Url}");
        Assert.Equal(rejectedBefore + 1, browser.PublicApp.RejectedSessions);

        Driver.Navigate().GoToUrl(browser.ConfidentialApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"The first app's visit did not show the form: {Driver.Url}");
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_name_show_the_same_one_message_and_the_sign_in_still_completes()
    {
        var (username, _, subject) = await NewUserAsync();
        Driver.Navigate().GoToUrl(browser.ConfidentialApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");

        browser.SignIn(username, "not the password at all");
        Assert.True(browser.OnSignInPage(), $"A wrong password left the sign-in page: {Driver.Url}");
        var wrongPassword = Alert();
        Assert.Equal(Problems.LoginFailureDetail, wrongPassword);   // the one message of api/auth/login too
        browser.Screenshot("sign-in-failed");

        browser.SignIn(AuthClient.NewUsername(), BrowserSignInFixture.Password);
        Assert.True(browser.OnSignInPage(), $"An unknown name left the sign-in page: {Driver.Url}");
        Assert.Equal(wrongPassword, Alert());

        // The form still carries the app's authorization request: the right password now completes it.
        browser.SignIn(username, BrowserSignInFixture.Password);
        Assert.Equal(browser.ConfidentialApp.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([subject], Claims()["sub"]);
    }

    [Fact]
    public async Task After_too_many_wrong_passwords_the_page_refuses_even_the_right_one_with_the_same_message()
    {
        var (username, _, _) = await NewUserAsync();
        Driver.Navigate().GoToUrl(browser.PublicApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        browser.SignIn(username, "not the password at all");
        var generic = Alert();
        Assert.Equal(Problems.LoginFailureDetail, generic);

        // FuncAuth:Lockout:MaxFailedAttempts is 5 by default: four more failures lock the name.
        for (var i = 0; i < 4; i++)
        {
            browser.SignIn(username, $"still not the password {i}");
            Assert.Equal(generic, Alert());
        }

        var tokensBefore = browser.PublicApp.Tokens.Count;
        browser.SignIn(username, BrowserSignInFixture.Password);
        Assert.True(browser.OnSignInPage(), $"A locked name was signed in: {Driver.Url}");
        Assert.Equal(generic, Alert());
        Assert.Equal(tokensBefore, browser.PublicApp.Tokens.Count);
    }

    [Fact]
    public async Task A_form_post_without_its_anti_forgery_token_signs_nobody_in()
    {
        var (username, _, _) = await NewUserAsync();
        Driver.Navigate().GoToUrl(browser.ConfidentialApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");

        // Every hidden field but the carried authorization request goes: what a forged form, which cannot read the
        // page, would lack.
        var removed = Convert.ToInt32(Driver.ExecuteScript("""
            let n = 0;
            for (const input of document.querySelectorAll('form[method=post] input[type=hidden]')) {
              if (input.name !== 'authorize') { input.remove(); n++; }
            }
            return n;
            """), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(removed > 0, "The sign-in form has no hidden anti-forgery field.");
        var tokensBefore = browser.ConfidentialApp.Tokens.Count;

        browser.SignIn(username, BrowserSignInFixture.Password);

        Assert.False(Driver.Url.StartsWith(browser.ConfidentialApp.BaseAddress.AbsoluteUri, StringComparison.Ordinal), $"Signed in without the token: {Driver.Url}");
        Assert.Equal(tokensBefore, browser.ConfidentialApp.Tokens.Count);

        // No single-sign-on session was started either: the other app still gets the form.
        Driver.Navigate().GoToUrl(browser.PublicApp.Url("/"));
        Assert.True(browser.OnSignInPage(), $"A browser session was started without the token: {Driver.Url}");
    }

    /// <summary>A new visitor (no cookies anywhere) and a new user with a confirmed address: name, address, subject.</summary>
    private async Task<(string Username, string Email, string Subject)> NewUserAsync()
    {
        browser.NewVisitor();
        var username = AuthClient.NewUsername();
        var (email, accessToken) = await browser.RegisterAsync(username);
        var subject = TestTokens.PayloadOf(accessToken)["sub"]!.GetValue<string>();
        return (username, email, subject);
    }

    private void SignInAt(RelyingPartyApp app, string username)
    {
        Driver.Navigate().GoToUrl(app.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        browser.SignIn(username, BrowserSignInFixture.Password);
        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
    }

    private int SignInPageLoads() =>
        browser.RequestTargets.Count(t => t.StartsWith("/" + FuncAuthRoutes.LoginPage, StringComparison.Ordinal));

    /// <summary>The claims the app shows for its signed-in user.</summary>
    private Dictionary<string, string[]> Claims() =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(Driver.FindElement(By.Id(RelyingPartyApp.ClaimsElementId)).Text)!;

    /// <summary>The page's one announced error.</summary>
    private string Alert() => Assert.Single(Driver.FindElements(By.CssSelector("[role=alert]"))).Text;

    private static async Task AssertUserInfoAsync(HttpClient funcAuth, string accessToken, HttpStatusCode expected)
    {
        using var response = await funcAuth.SendAsync(AuthClient.WithBearer(HttpMethod.Get, FuncAuthRoutes.UserInfo, accessToken));
        Assert.Equal(expected, response.StatusCode);
    }

    private static string? AudienceOf(System.Text.Json.Nodes.JsonNode? aud) =>
        aud is System.Text.Json.Nodes.JsonArray array ? (string?)Assert.Single(array) : (string?)aud;
}
