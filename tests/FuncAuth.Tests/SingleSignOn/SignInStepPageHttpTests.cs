using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Mfa;
using FuncAuth.Sessions;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>
/// The sign-in page's second step (<c>auth/login/mfa</c>), the passkey button's form (<c>auth/login/passkey</c>) and the
/// account page (<c>auth/account</c>) over HTTP, without a browser: their anti-forgery and cross-site refusals, a wrong
/// code answered with the form again, a spent or unknown second-step token sent back to the password, a code that signs
/// in as the password form does, and the account page only for a live browser session. The app's clock is a fake one,
/// moved on a 30-second step before each code.
/// </summary>
public sealed partial class SignInStepPageHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString)
{
    Time = new FakeTimeProvider(DateTimeOffset.UtcNow),
})
{
    private const string Authorize = "client_id=web-app&state=xyz";

    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task The_second_step_the_passkey_form_and_the_account_page_refuse_a_post_without_the_anti_forgery_token_or_sent_cross_site()
    {
        using var browser = SignInForms.Browser(App);
        var (_, csrf) = await browser.FormAsync(FuncAuthRoutes.LoginPage);
        var posts = new (string Route, (string, string?)[] Fields)[]
        {
            (FuncAuthRoutes.SecondFactorPage, [("mfa_token", "any"), ("code", "123456")]),
            (FuncAuthRoutes.PasskeyLoginPage, [("credential", "{\"id\":\"x\"}")]),
            (FuncAuthRoutes.AccountPage, [("action", "totp-begin"), ("password", SignInForms.Password)]),
        };

        foreach (var (route, fields) in posts)
        {
            using var without = await browser.PostFormAsync(route, fields);
            using var forged = await browser.PostFormAsync(route, [.. fields, ("csrf", "not-the-token")]);
            using var crossSite = new HttpRequestMessage(HttpMethod.Post, route)
            {
                Content = new FormUrlEncodedContent([.. fields.Append(("csrf", csrf)).Select(f => KeyValuePair.Create(f.Item1, f.Item2!))]),
            };
            crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
            using var crossSiteResponse = await browser.SendAsync(crossSite);
            foreach (var response in new[] { without, forged, crossSiteResponse })
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(SignInPageMarkup.Forged, SignInForms.Alert(await response.Content.ReadAsStringAsync()));
                Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
            }
        }

        Assert.Equal(6, App.Logs.Events.Count(e => e.Name == "PageFormForgeryRefused"));
        Assert.Equal(3, App.Logs.Events.Count(e => e.Name == "CrossSitePageSubmissionRefused"));
    }

    [Fact]
    public async Task With_totp_on_the_right_password_answers_the_second_step_a_wrong_code_shows_it_again_and_the_right_one_signs_in()
    {
        var (username, secret) = await UserWithTotpAsync();
        using var browser = SignInForms.Browser(App);

        using var password = await browser.SignInAsync(username, authorizeQuery: Authorize);
        var step = await password.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.Null(SignInForms.SetCookie(password, "funcauth.session"));
        Assert.Contains($"<h1>{SecondFactorPage.Heading}</h1>", step, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/auth/login/mfa\">", step, StringComparison.Ordinal);
        Assert.Matches("<label for=\"code\">[^<]+</label>\n<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\"[^>]* inputmode=\"numeric\" pattern=\"[^\"]+\"[^>]* required autofocus", step);
        Assert.Contains("name=\"recovery_code\"", step, StringComparison.Ordinal);
        Assert.Equal(Authorize, SignInForms.Hidden(step, "authorize"));
        var mfaToken = SignInForms.Hidden(step, "mfa_token");
        Assert.False(string.IsNullOrEmpty(mfaToken));
        var csrf = SignInForms.Hidden(step, "csrf")!;

        // Neither field, then a wrong code: the form again, one message, the same token (still usable), no session.
        using var empty = await browser.PostFormAsync(FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", mfaToken));
        Assert.Equal(SecondFactorPage.MissingCode, SignInForms.Alert(await empty.Content.ReadAsStringAsync()));
        Time.Advance(TimeSpan.FromSeconds(30));
        var right = Code(secret);
        using var wrong = await browser.PostFormAsync(
            FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", mfaToken), ("code", right == "000000" ? "111111" : "000000"));
        var again = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(SecondFactorPage.WrongCode, SignInForms.Alert(again));
        Assert.Single(Regex.Matches(again, "role=\"alert\""));
        Assert.Equal(mfaToken, SignInForms.Hidden(again, "mfa_token"));
        Assert.Contains("aria-invalid=\"true\"", again, StringComparison.Ordinal);
        Assert.Null(SignInForms.SetCookie(wrong, "funcauth.session"));

        // The right code: exactly the password form's end, the browser session's cookie and 303 to authorize.
        using var signedIn = await browser.PostFormAsync(
            FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", mfaToken), ("code", right));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal($"/{FuncAuthRoutes.Authorize}?{Authorize}", signedIn.Headers.Location?.OriginalString);
        var cookie = SignInForms.SetCookie(signedIn, "funcauth.session");
        Assert.NotNull(cookie);
        var session = await App.Services.GetRequiredService<SessionService>().FindBrowserAsync(
            Regex.Match(cookie, "^funcauth.session=([^;]+)").Groups[1].Value, CancellationToken.None);
        Assert.NotNull(session);
        Assert.Equal(
            [AuthenticationMethods.Password, AuthenticationMethods.OneTimePassword, AuthenticationMethods.MultipleFactors],
            session.AuthenticationMethods);

        // The token was spent by that sign-in: posting it again goes back to the password form, with a message.
        Time.Advance(TimeSpan.FromSeconds(30));
        using var spent = await browser.PostFormAsync(
            FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", mfaToken), ("code", Code(secret)));
        var back = await spent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, spent.StatusCode);
        Assert.Equal(SecondFactorPage.Expired, SignInForms.Alert(back));
        Assert.Contains("<form method=\"post\" action=\"/auth/login\">", back, StringComparison.Ordinal);
        Assert.Equal(Authorize, SignInForms.Hidden(back, "authorize"));
    }

    [Fact]
    public async Task An_unknown_second_step_token_goes_back_to_the_password_form_with_a_message()
    {
        using var browser = SignInForms.Browser(App);
        var (_, csrf) = await browser.FormAsync($"{FuncAuthRoutes.LoginPage}?{Authorize}");

        using var response = await browser.PostFormAsync(
            FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("code", "123456"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SecondFactorPage.Expired, SignInForms.Alert(html));
        Assert.Contains("<form method=\"post\" action=\"/auth/login\">", html, StringComparison.Ordinal);
        Assert.Equal(Authorize, SignInForms.Hidden(html, "authorize"));
        Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
    }

    [Fact]
    public async Task A_passkey_form_whose_credential_does_not_verify_shows_the_sign_in_page_with_one_message()
    {
        using var browser = SignInForms.Browser(App);
        var (_, csrf) = await browser.FormAsync($"{FuncAuthRoutes.LoginPage}?{Authorize}");

        foreach (var credential in new[] { null, "not json", "{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}" })
        {
            using var response = await browser.PostFormAsync(FuncAuthRoutes.PasskeyLoginPage, ("csrf", csrf), ("authorize", Authorize), ("credential", credential));
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SignInStepPageEndpoints.PasskeyFailed, SignInForms.Alert(html));
            Assert.Equal(Authorize, SignInForms.Hidden(html, "authorize"));
            Assert.Null(SignInForms.SetCookie(response, "funcauth.session"));
        }
    }

    [Fact]
    public async Task The_account_page_needs_a_browser_session_and_every_change_there_needs_the_password()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        using var browser = SignInForms.Browser(App);

        using var anonymous = await browser.GetAsync(FuncAuthRoutes.AccountPage);
        Assert.Equal(HttpStatusCode.SeeOther, anonymous.StatusCode);
        Assert.Equal($"/{FuncAuthRoutes.LoginPage}", anonymous.Headers.Location?.OriginalString);
        var (_, csrf) = await browser.FormAsync(FuncAuthRoutes.LoginPage);
        using var anonymousPost = await browser.PostFormAsync(FuncAuthRoutes.AccountPage, ("csrf", csrf), ("action", "totp-begin"), ("password", SignInForms.Password));
        Assert.Equal(HttpStatusCode.SeeOther, anonymousPost.StatusCode);

        // Signed in without an application: the signed-in page links to the account page.
        using var signedIn = await browser.SignInAsync(username);
        Assert.Contains("<a href=\"/auth/account\">", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var page = await browser.GetAsync(FuncAuthRoutes.AccountPage);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        Assert.Contains($"<h1>{AccountPage.Heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"Signed in as {username}.", html, StringComparison.Ordinal);
        Assert.Contains("You have no passkeys yet.", html, StringComparison.Ordinal);
        Assert.Contains("Two-step sign-in is off.", html, StringComparison.Ordinal);

        // The creation options ride in the add form's attribute, encoded: a challenge and this user, nothing more.
        var options = WebUtility.HtmlDecode(Regex.Match(html, "data-funcauth-passkey-create=\"([^\"]*)\"").Groups[1].Value);
        using (var json = System.Text.Json.JsonDocument.Parse(options))
        {
            var root = json.RootElement.TryGetProperty("publicKey", out var inner) ? inner : json.RootElement;
            Assert.False(string.IsNullOrEmpty(root.GetProperty("challenge").GetString()));
            Assert.Equal(username, root.GetProperty("user").GetProperty("name").GetString());
        }

        // A wrong password changes nothing and counts as a failed check; the page says so once.
        var pageCsrf = SignInForms.Hidden(html, "csrf")!;
        using var wrong = await browser.PostFormAsync(FuncAuthRoutes.AccountPage, ("csrf", pageCsrf), ("action", "totp-begin"), ("password", "not the password"));
        var refused = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal("The password is not right. Nothing was changed.", SignInForms.Alert(refused));
        Assert.DoesNotContain("totp-secret", refused, StringComparison.Ordinal);
        Assert.Single(App.Logs.Events, e => e.Name == "AccountPagePasswordRefused");

        // The right one: the key in text, its QR code as a data: image, which this page's policy alone allows.
        using var begun = await browser.PostFormAsync(FuncAuthRoutes.AccountPage, ("csrf", pageCsrf), ("action", "totp-begin"), ("password", SignInForms.Password));
        var setup = await begun.Content.ReadAsStringAsync();
        Assert.Matches("<code id=\"totp-secret\">[A-Z2-7]+=*</code>", setup);
        Assert.Contains("<img class=\"qr\" id=\"totp-qr\" alt=", setup, StringComparison.Ordinal);
        Assert.EndsWith("; img-src data:", Assert.Single(begun.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.DoesNotContain("img-src", Assert.Single(page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        // Confirmed with a current code: the 10 recovery codes, once.
        var secret = Regex.Match(setup, "<code id=\"totp-secret\">([^<]+)</code>").Groups[1].Value;
        Time.Advance(TimeSpan.FromSeconds(30));
        using var confirmed = await browser.PostFormAsync(FuncAuthRoutes.AccountPage, ("csrf", pageCsrf), ("action", "totp-confirm"), ("code", Code(secret)));
        var codes = await confirmed.Content.ReadAsStringAsync();
        Assert.Equal(10, Regex.Count(codes, "<li><code>[^<]+</code></li>"));
        Assert.True(await App.Services.GetRequiredService<TotpEnrolment>().IsEnabledAsync(
            (await App.Services.GetRequiredService<UserStore>().FindAsync(Name(username), CancellationToken.None))!.Id, CancellationToken.None));
    }

    /// <summary>A new user with TOTP on (enrolled through the service, as the API and the account page do); the name and the key.</summary>
    private async Task<(string Username, string Secret)> UserWithTotpAsync()
    {
        var username = AuthClient.NewUsername();
        Assert.Equal(HttpStatusCode.Created, (await Client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        var account = (await App.Services.GetRequiredService<UserStore>().FindAsync(Name(username), CancellationToken.None))!;
        var enrolment = App.Services.GetRequiredService<TotpEnrolment>();
        var setup = await enrolment.BeginAsync(account, CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(30));
        Assert.NotNull(await enrolment.ConfirmAsync(account, Code(setup.Secret), CancellationToken.None));
        return (username, setup.Secret);
    }

    private string Code(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(Time.GetUtcNow().UtcDateTime);

    private static Username Name(string username) => Username.TryCreate(username, out var name, out _) ? name! : throw new ArgumentException(username);
}
