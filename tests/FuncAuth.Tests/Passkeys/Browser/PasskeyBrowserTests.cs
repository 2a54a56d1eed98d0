using System.Text.Json;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.BrowserSignIn;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OtpNet;

namespace FuncAuth.Tests.Passkeys.Browser;

/// <summary>
/// Passkeys and the second factor in a real browser (headless Chromium through chromedriver, WebDriver's virtual
/// authenticator): a user adds a passkey on the account page, signs out, signs in to a relying-party app with it from the
/// hosted page (the app's ID token says how: <c>amr</c>; the script's fallbacks for browsers without WebAuthn's JSON
/// helpers doing the work), and removes it; a user turns TOTP on from the account page (the
/// code computed here from the key the page shows), signs in through the page's second step with a code and with a
/// recovery code, and turns it off.
/// </summary>
public sealed class PasskeyBrowserTests(PasskeyBrowserFixture browser) : IClassFixture<PasskeyBrowserFixture>
{
    private ChromeDriver Driver => browser.Driver;

    [Fact]
    public async Task A_passkey_added_on_the_account_page_signs_in_to_an_app_from_the_hosted_page_and_is_removed_there()
    {
        browser.NewVisitor();
        var (username, subject) = await browser.RegisterAsync();

        // Signed in with the password, straight at FuncAuth: the signed-in page leads to the account page.
        browser.Open(FuncAuthRoutes.LoginPage);
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        SignIn(username);
        Assert.Equal("Signed in", Heading());
        browser.Submit(By.LinkText("Your account: passkeys and two-step sign-in"));
        Assert.Equal(browser.Url(FuncAuthRoutes.AccountPage).AbsoluteUri, Driver.Url);
        Assert.Equal(AccountPage.Heading, Heading());
        Assert.Contains("You have no passkeys yet.", Body(), StringComparison.Ordinal);

        // Add a passkey: the script creates it with the authenticator and posts it with the name and the password.
        browser.Type("#passkey-name", "Test laptop");
        browser.Type("#add-password", PasskeyBrowserFixture.Password);
        browser.SubmitByScript(By.XPath("//form[@data-funcauth-passkey-create]//button[@type='submit']"));
        Assert.Equal("Passkey “Test laptop” added.", Driver.FindElement(By.CssSelector("[role=status]")).Text);
        Assert.Equal(["Test laptop"], Driver.FindElements(By.CssSelector(".passkey-name")).Select(e => e.Text));
        Assert.Contains("last used never", Body(), StringComparison.Ordinal);
        var stored = Assert.Single(browser.AuthenticatorCredentials());
        Assert.True(stored.IsResidentCredential, "The passkey is not discoverable.");
        browser.Screenshot("account-page-with-a-passkey");

        // Sign out from the account page: end-session without a hint asks for confirmation.
        browser.Submit(By.LinkText("Sign out"));
        browser.Submit();
        Driver.Navigate().GoToUrl(browser.Url(FuncAuthRoutes.AccountPage));
        Assert.True(browser.OnSignInPage(), $"The account page was shown after signing out: {Driver.Url}");

        // The app's protected page → FuncAuth's sign-in page → the passkey button → back at the app, signed in.
        var app = browser.App1;
        Driver.Navigate().GoToUrl(app.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        var button = Driver.FindElement(By.CssSelector("button[data-funcauth-passkey-get]"));
        Assert.True(button.Displayed, "The passkey button is not shown in a browser that has passkeys.");
        Assert.Equal("button", button.GetAttribute("type"));
        browser.Screenshot("sign-in-page-with-the-passkey-button");

        // As a browser without WebAuthn's JSON helpers (older than 2024's): the script's own base64url conversions run.
        Driver.ExecuteScript("delete PublicKeyCredential.parseRequestOptionsFromJSON; delete PublicKeyCredential.prototype.toJSON;");
        Assert.Equal(false, Driver.ExecuteScript("return typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function'"));
        var tokensBefore = app.Tokens.Count;
        browser.SubmitByScript(By.CssSelector("button[data-funcauth-passkey-get]"));

        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([subject], Claims()["sub"]);
        Assert.Equal([username], Claims()["preferred_username"]);
        Assert.Equal(tokensBefore + 1, app.Tokens.Count);
        var amr = Amr(app.Tokens.Last().IdToken!);
        Assert.Contains(AuthenticationMethods.UserPresence, amr);
        Assert.True(amr.Contains(AuthenticationMethods.HardwareKey) != amr.Contains(AuthenticationMethods.SoftwareKey), $"amr: {string.Join(' ', amr)}");
        Assert.DoesNotContain(AuthenticationMethods.Password, amr);

        // Back on the account page (the same browser session): it was used, and it can be removed with the password.
        Driver.Navigate().GoToUrl(browser.Url(FuncAuthRoutes.AccountPage));
        Assert.Equal(AccountPage.Heading, Heading());
        Assert.DoesNotContain("last used never", Body(), StringComparison.Ordinal);
        browser.Type("#remove-password-0", "not the password");
        browser.Submit(By.XPath("//ul[@id='passkeys']//button[@type='submit']"));
        Assert.Equal("The password is not right. Nothing was changed.", Alert());
        Assert.Single(Driver.FindElements(By.CssSelector(".passkey-name")));
        browser.Type("#remove-password-0", PasskeyBrowserFixture.Password);
        browser.Submit(By.XPath("//ul[@id='passkeys']//button[@type='submit']"));
        Assert.Equal("Passkey removed.", Driver.FindElement(By.CssSelector("[role=status]")).Text);
        Assert.Empty(Driver.FindElements(By.CssSelector(".passkey-name")));

        // The authenticator still holds the key, but FuncAuth no longer knows it: the sign-in page says so, once.
        browser.NewVisitor(newAuthenticator: false);
        Driver.Navigate().GoToUrl(app.Url("/"));
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        browser.SubmitByScript(By.CssSelector("button[data-funcauth-passkey-get]"));
        Assert.True(browser.OnSignInPage(), $"A removed passkey signed in: {Driver.Url}");
        Assert.Equal(SignInStepPageEndpoints.PasskeyFailed, Alert());
        Assert.Equal(tokensBefore + 1, app.Tokens.Count);
    }

    [Fact]
    public async Task Two_step_sign_in_turned_on_from_the_account_page_asks_for_a_code_or_a_recovery_code_and_turns_off()
    {
        browser.NewVisitor();
        var (username, subject) = await browser.RegisterAsync();
        var app = browser.App1;

        // The password first (through the app), then the account page, then "Turn on" with the password.
        Driver.Navigate().GoToUrl(app.Url("/"));
        SignIn(username);
        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([AuthenticationMethods.Password], Amr(app.Tokens.Last().IdToken!));
        Driver.Navigate().GoToUrl(browser.Url(FuncAuthRoutes.AccountPage));
        Assert.Contains("Two-step sign-in is off.", Body(), StringComparison.Ordinal);
        browser.Type("#on-password", PasskeyBrowserFixture.Password);
        browser.Submit(By.XPath("//input[@id='on-password']/ancestor::form//button[@type='submit']"));

        // The QR code (an image in the page, allowed by this page's policy alone) and the key in text.
        var qr = Driver.FindElement(By.Id("totp-qr"));
        Assert.StartsWith("data:image/svg+xml;base64,", qr.GetAttribute("src"), StringComparison.Ordinal);
        Assert.True(Convert.ToInt64(Driver.ExecuteScript("return arguments[0].naturalWidth", qr), System.Globalization.CultureInfo.InvariantCulture) > 0, "The QR code did not load.");
        var secret = Driver.FindElement(By.Id("totp-secret")).Text;
        Assert.Matches("^[A-Z2-7]+=*$", secret);
        Assert.Equal("one-time-code", Driver.FindElement(By.Id("confirm-code")).GetAttribute("autocomplete"));
        Assert.Empty(CspViolations());
        browser.Screenshot("account-page-totp-setup");

        browser.Type("#confirm-code", NextCode(secret));
        browser.Submit(By.XPath("//input[@id='confirm-code']/ancestor::form//button[@type='submit']"));
        var recoveryCodes = Driver.FindElements(By.CssSelector("#recovery-codes code")).Select(c => c.Text).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        Assert.Contains("Two-step sign-in is on", Body(), StringComparison.Ordinal);
        browser.Screenshot("account-page-recovery-codes");

        // Shown once: the page again has the codes no more.
        Driver.Navigate().Refresh();
        Assert.Empty(Driver.FindElements(By.Id("recovery-codes")));

        // Signed out (the app's sign-out ends FuncAuth's session too), then the app again: password, then the code.
        SignOutOfApp(app);
        Driver.Navigate().GoToUrl(app.Url("/"));
        SignIn(username);
        Assert.Equal(SecondFactorPage.Heading, Heading());
        var code = Driver.FindElement(By.CssSelector("input[name=code]"));
        Assert.Equal("one-time-code", code.GetAttribute("autocomplete"));
        Assert.Equal("numeric", code.GetAttribute("inputmode"));
        browser.Screenshot("second-step");

        var now = NextCode(secret, advance: false);
        browser.Type("input[name=code]", now == "000000" ? "111111" : "000000");
        browser.Submit();
        Assert.Equal(SecondFactorPage.WrongCode, Alert());
        browser.Type("input[name=code]", NextCode(secret));
        browser.Submit();
        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([subject], Claims()["sub"]);
        Assert.Equal(
            [AuthenticationMethods.Password, AuthenticationMethods.OneTimePassword, AuthenticationMethods.MultipleFactors],
            Amr(app.Tokens.Last().IdToken!));

        // Again, with a recovery code this time (the folded-away form).
        SignOutOfApp(app);
        Driver.Navigate().GoToUrl(app.Url("/"));
        SignIn(username);
        Driver.FindElement(By.TagName("summary")).Click();
        browser.Type("input[name=recovery_code]", recoveryCodes[3]);
        browser.Submit(By.XPath("//input[@name='recovery_code']/ancestor::form//button[@type='submit']"));
        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        var recoveryAmr = Amr(app.Tokens.Last().IdToken!);
        Assert.Contains(AuthenticationMethods.Password, recoveryAmr);
        Assert.Contains(AuthenticationMethods.MultipleFactors, recoveryAmr);
        Assert.DoesNotContain(AuthenticationMethods.OneTimePassword, recoveryAmr);

        // Turned off from the account page: the password and a code.
        Driver.Navigate().GoToUrl(browser.Url(FuncAuthRoutes.AccountPage));
        browser.Type("#off-password", PasskeyBrowserFixture.Password);
        browser.Type("#off-code", NextCode(secret));
        browser.Submit(By.XPath("//input[@id='off-code']/ancestor::form//button[@type='submit']"));
        Assert.Equal("Two-step sign-in is off.", Driver.FindElement(By.CssSelector("[role=status]")).Text);

        // The password alone signs in again.
        SignOutOfApp(app);
        Driver.Navigate().GoToUrl(app.Url("/"));
        SignIn(username);
        Assert.Equal(app.Url("/").AbsoluteUri, Driver.Url);
        Assert.Equal([AuthenticationMethods.Password], Amr(app.Tokens.Last().IdToken!));
    }

    private void SignIn(string username)
    {
        Assert.True(browser.OnSignInPage(), $"Not on the sign-in page: {Driver.Url}");
        browser.Type("input[name=username]", username);
        browser.Type("input[name=password]", PasskeyBrowserFixture.Password);
        browser.Submit();
    }

    /// <summary>The app's sign-out: its cookie, then FuncAuth's end-session with its ID token (FuncAuth's session ends too).</summary>
    private void SignOutOfApp(RelyingPartyApp app)
    {
        Driver.Navigate().GoToUrl(app.Url("/signout"));
        Assert.Equal(app.Url("/signed-out").AbsoluteUri, Driver.Url);
    }

    /// <summary>
    /// The code of the key for the app's clock moved on one 30-second step first: each code is a new step, never one
    /// already used (a code is accepted once).
    /// </summary>
    private string NextCode(string secret, bool advance = true)
    {
        if (advance)
        {
            browser.Time.Advance(TimeSpan.FromSeconds(30));
        }

        return new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(browser.Time.GetUtcNow().UtcDateTime);
    }

    private string Heading() => Driver.FindElement(By.TagName("h1")).Text;

    private string Body() => Driver.FindElement(By.TagName("body")).Text;

    /// <summary>The page's one announced error.</summary>
    private string Alert() => Assert.Single(Driver.FindElements(By.CssSelector("[role=alert]"))).Text;

    private IEnumerable<string> CspViolations() =>
        browser.BrowserLog().Select(l => l.Message).Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

    private Dictionary<string, string[]> Claims() =>
        JsonSerializer.Deserialize<Dictionary<string, string[]>>(Driver.FindElement(By.Id(RelyingPartyApp.ClaimsElementId)).Text)!;

    private static string[] Amr(string idToken) =>
        TestTokens.PayloadOf(idToken)["amr"]?.AsArray().Select(n => (string)n!).ToArray() ?? [];
}
