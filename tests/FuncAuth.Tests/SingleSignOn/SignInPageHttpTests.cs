using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>
/// The sign-in page over HTTP: its markup and headers, the browser session's cookie, the anti-forgery token, the one
/// failure message and the lockout through the page, and the way back to the authorization request (never anywhere else).
/// </summary>
public sealed partial class SignInPageHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
{
    ["FuncAuth:Lockout:MaxFailedAttempts"] = "3",
    ["FuncAuth:Lockout:LockoutDuration"] = "00:05:00",
}))
{
    private const string AuthorizeQuery =
        "response_type=code&client_id=web-app&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback&scope=openid%20profile" +
        "&state=s%2Fx%3Dy&nonce=n-1&code_challenge=abc&code_challenge_method=S256&prompt=login&max_age=0&login_hint=alice";

    [Fact]
    public async Task The_sign_in_page_has_a_password_form_with_the_fields_password_managers_look_for_a_passkey_button_and_a_strict_policy()
    {
        using var browser = SignInForms.Browser(App);
        using var response = await browser.GetAsync(FuncAuthRoutes.LoginPage);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        // The password form, and the passkey button's form (hidden until the script sees the browser can use passkeys).
        Assert.Equal(2, Regex.Count(html, "<form "));
        Assert.Contains("<form method=\"post\" action=\"/auth/login\">", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"passkey\" data-funcauth-passkey-signin hidden>", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/auth/login/passkey\" data-funcauth-passkey-options=\"/api/auth/passkeys/login/options\">", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"button\" class=\"secondary\" data-funcauth-passkey-get>Sign in with a passkey</button>", html, StringComparison.Ordinal);
        Assert.EndsWith("; connect-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Matches("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\"[^>]* required autofocus>", html);
        Assert.Matches("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>", html);
        Assert.Contains("<label for=\"username\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<link rel=\"stylesheet\""));
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);

        // Registration is on by default; Development sends mail to files, so recovery is offered too.
        Assert.Contains("<a href=\"/auth/register\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/auth/forgot-password\">", html, StringComparison.Ordinal);

        // The anti-forgery pair: a Strict, HttpOnly cookie and an HMAC in the form.
        Assert.Matches("^[A-Za-z0-9_-]{43}$", SignInForms.Hidden(html, "csrf")!);
        var csrfCookie = SignInForms.SetCookie(response, "funcauth.csrf");
        Assert.NotNull(csrfCookie);
        Assert.Contains("samesite=strict", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", csrfCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", csrfCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_page_carries_the_authorization_request_and_the_login_hint_fills_in_the_username()
    {
        using var browser = SignInForms.Browser(App);
        var (html, _) = await browser.FormAsync($"{FuncAuthRoutes.LoginPage}?{AuthorizeQuery}");

        Assert.Equal(AuthorizeQuery, SignInForms.Hidden(html, "authorize"));
        Assert.Matches("name=\"username\" autocomplete=\"username\" spellcheck=\"false\" autocapitalize=\"off\" value=\"alice\"", html);

        // The links keep it too, so a user who registers first can come back.
        Assert.Contains($"<a href=\"/auth/register?{WebUtility.HtmlEncode(AuthorizeQuery)}\">", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost/", "funcauth.session", false)]
    [InlineData("http://127.0.0.1/", "funcauth.session", false)]
    [InlineData("https://localhost/", "__Host-funcauth.session", true)]
    [InlineData("https://funcauth.test/", "__Host-funcauth.session", true)]
    [InlineData("http://funcauth.test/", "__Host-funcauth.session", true)]
    public async Task Signing_in_sets_an_httponly_lax_cookie_secure_with_the_host_prefix_unless_plain_http_on_loopback(
        string baseAddress, string cookieName, bool secure)
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        // Sent by hand with the page's cookie, as a browser would (HttpClient's jar keeps no Secure cookie over http).
        var csrfCookieName = secure ? "__Host-funcauth.csrf" : "funcauth.csrf";
        var (_, csrf) = await CookieValueAsync(baseAddress, csrfCookieName);
        using var bare = App.CreateDefaultClient(new Uri(baseAddress));
        using var request = new HttpRequestMessage(HttpMethod.Post, FuncAuthRoutes.LoginPage)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("csrf", csrf.Signed), KeyValuePair.Create("username", username), KeyValuePair.Create("password", SignInForms.Password)]),
        };
        request.Headers.Add("Cookie", $"{csrfCookieName}={csrf.Value}");
        using var response = await bare.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = SignInForms.SetCookie(response, cookieName);
        Assert.NotNull(cookie);
        Assert.Matches($"^{Regex.Escape(cookieName)}=[A-Za-z0-9_-]{{43}};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));

        // It expires with the browser session (the refresh-token lifetime, 14 days by default), not with the browser.
        var expires = DateTimeOffset.Parse(Regex.Match(cookie, "expires=([^;]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(14).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(14).AddMinutes(1));
    }

    [Fact]
    public async Task A_form_without_the_token_or_with_another_browsers_token_or_sent_cross_site_is_refused_and_no_password_is_checked()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var attacker = SignInForms.Browser(App);
        var (_, attackersToken) = await attacker.FormAsync(FuncAuthRoutes.LoginPage);
        using var victim = SignInForms.Browser(App);
        _ = await victim.FormAsync(FuncAuthRoutes.LoginPage);
        var failuresBefore = App.Logs.Events.Count(e => e.Name == "LoginFailed");

        using var without = await victim.PostFormAsync(FuncAuthRoutes.LoginPage, ("username", username), ("password", SignInForms.Password));
        using var foreign = await victim.PostFormAsync(FuncAuthRoutes.LoginPage, ("csrf", attackersToken), ("username", username), ("password", SignInForms.Password));
        var (_, own) = await victim.FormAsync(FuncAuthRoutes.LoginPage);
        var crossSite = new HttpRequestMessage(HttpMethod.Post, FuncAuthRoutes.LoginPage)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("csrf", own), KeyValuePair.Create("username", username), KeyValuePair.Create("password", SignInForms.Password)]),
        };
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var crossSiteResponse = await victim.SendAsync(crossSite);

        foreach (var response in new[] { without, foreign, crossSiteResponse })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(SignInPageMarkup.Forged, SignInForms.Alert(await response.Content.ReadAsStringAsync()));
            Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
        }

        Assert.Equal(2, App.Logs.Events.Count(e => e.Name == "PageFormForgeryRefused"));
        Assert.Single(App.Logs.Events, e => e.Name == "CrossSitePageSubmissionRefused");

        // Nothing was checked: no failure counted, no session started (the user's only session is the API login's own).
        Assert.Equal(failuresBefore, App.Logs.Events.Count(e => e.Name == "LoginFailed"));
        var (access, _) = await Client.StartSessionAsync(username);
        using var sessions = await (await Client.SessionsAsync(access)).JsonAsync();
        Assert.Single(sessions.RootElement.GetProperty("sessions").EnumerateArray());

        // The victim's own token still works.
        using var signedIn = await victim.SignInAsync(username);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.NotNull(SignInForms.SetCookie(signedIn, "funcauth.session"));
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_one_failure_message_of_the_api_announced_on_the_fields()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);

        using var wrong = await browser.SignInAsync(username, "not the password at all");
        using var unknown = await browser.SignInAsync(AuthClient.NewUsername());
        using var api = await Client.LoginAsync(username, "not the password at all");
        var apiDetail = (await api.JsonAsync()).RootElement.GetProperty("detail").GetString();

        foreach (var response in new[] { wrong, unknown })
        {
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(apiDetail, SignInForms.Alert(html));
            Assert.Contains("<p class=\"alert\" role=\"alert\" id=\"login-error\">", html, StringComparison.Ordinal);
            foreach (var field in new[] { "username", "password" })
            {
                var input = Regex.Match(html, $"<input [^>]*id=\"{field}\"[^>]*>").Value;
                Assert.Contains(" aria-invalid=\"true\"", input, StringComparison.Ordinal);
                Assert.Contains(" aria-describedby=\"login-error\"", input, StringComparison.Ordinal);
            }

            // The focus goes back to the first field (without a script).
            Assert.Contains(" autofocus", Regex.Match(html, "<input [^>]*id=\"username\"[^>]*>").Value, StringComparison.Ordinal);
            Assert.DoesNotContain("not the password at all", html, StringComparison.Ordinal);
            Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
        }

        Assert.Contains(App.Logs.Events, e => e.Name == "LoginFailed");
    }

    [Fact]
    public async Task The_lockout_applies_through_the_page_even_to_the_right_password()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);
        for (var i = 0; i < 3; i++)
        {
            using var failed = await browser.SignInAsync(username, $"wrong password {i}");
            Assert.Equal(Problems.LoginFailureDetail, SignInForms.Alert(await failed.Content.ReadAsStringAsync()));
        }

        using var right = await browser.SignInAsync(username);
        Assert.Equal(Problems.LoginFailureDetail, SignInForms.Alert(await right.Content.ReadAsStringAsync()));
        Assert.Null(SignInForms.SetCookie(right, "funcauth.session"));

        // The API sees the same lock.
        using var api = await Client.LoginAsync(username, SignInForms.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_goes_back_to_the_authorization_request_without_prompt_and_max_age()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);

        using var response = await browser.SignInAsync(username, authorizeQuery: AuthorizeQuery);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal(
            "/api/auth/authorize?response_type=code&client_id=web-app&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback" +
            "&scope=openid%20profile&state=s%2Fx%3Dy&nonce=n-1&code_challenge=abc&code_challenge_method=S256&login_hint=alice",
            location);
        Assert.NotNull(SignInForms.SetCookie(response, "funcauth.session"));
    }

    [Theory]
    [InlineData("//evil.example/path")]
    [InlineData("https://evil.example/?a=b")]
    [InlineData("@evil.example")]
    [InlineData("/../../evil")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("a=1&/\\evil.example")]
    public async Task Whatever_the_authorize_field_holds_the_redirect_stays_on_the_authorize_endpoint(string forged)
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);
        var (_, csrf) = await browser.FormAsync(FuncAuthRoutes.LoginPage);

        using var response = await browser.PostFormAsync(
            FuncAuthRoutes.LoginPage, ("csrf", csrf), ("authorize", forged), ("username", username), ("password", SignInForms.Password));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/api/auth/authorize?", location, StringComparison.Ordinal);
        var resolved = new Uri(new Uri("https://funcauth.test/"), location);
        Assert.Equal("funcauth.test", resolved.Host);
        Assert.Equal("/api/auth/authorize", resolved.AbsolutePath);
    }

    [Theory]
    [InlineData("a=1\r\nLocation: https://evil.example")]
    [InlineData("a=1#fragment")]
    public async Task An_authorize_field_that_is_not_a_plain_query_is_refused_with_an_error_page(string forged)
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);
        var (_, csrf) = await browser.FormAsync(FuncAuthRoutes.LoginPage);

        using var response = await browser.PostFormAsync(
            FuncAuthRoutes.LoginPage, ("csrf", csrf), ("authorize", forged), ("username", username), ("password", SignInForms.Password));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
    }

    [Fact]
    public async Task Without_an_authorization_request_the_sign_in_ends_on_a_signed_in_page()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);

        using var response = await browser.SignInAsync(username);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Signed in</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"You are signed in as {username}.", html, StringComparison.Ordinal);
    }

    private async Task<(string Html, (string Value, string Signed) Csrf)> CookieValueAsync(string baseAddress, string cookieName)
    {
        // A fresh GET read without a jar: the Set-Cookie value and the signed field that goes with it.
        using var bare = App.CreateDefaultClient(new Uri(baseAddress));
        using var response = await bare.GetAsync(FuncAuthRoutes.LoginPage);
        var html = await response.Content.ReadAsStringAsync();
        var cookie = SignInForms.SetCookie(response, cookieName) ?? throw new InvalidOperationException($"No {cookieName} cookie.");
        return (html, (cookie[(cookieName.Length + 1)..cookie.IndexOf(';', StringComparison.Ordinal)], SignInForms.Hidden(html, "csrf")!));
    }
}
