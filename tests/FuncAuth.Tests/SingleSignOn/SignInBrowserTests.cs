using System.Net;
using FuncAuth.Http;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>
/// The sign-in page in a real browser (headless Chromium against the Kestrel host on http://127.0.0.1): the form as a
/// person uses it, the focus, the error announced, the browser session's cookie kept by Chromium and sent back, and sign-out.
/// Screenshots of the page are kept under the test output folder, <c>artifacts/screenshots/</c>.
/// </summary>
public sealed class SignInBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private ChromeDriver Driver => browser.Driver;

    [Fact]
    public async Task A_person_signs_in_through_the_form_and_chromium_keeps_the_session_cookie_and_sends_it_back()
    {
        var username = await RegisterAsync();
        OpenFresh(FuncAuthRoutes.LoginPage);

        // The first field has the focus without any script; the page loads with no error or policy violation.
        Assert.Equal("username", Driver.ExecuteScript("return document.activeElement.id;"));
        Assert.Empty(Errors());
        Screenshot("sign-in.png");

        Driver.FindElement(By.Id("username")).SendKeys(username);
        Driver.FindElement(By.Id("password")).SendKeys(SignInForms.Password);
        browser.Submit();

        Assert.Equal("Signed in", Driver.FindElement(By.TagName("h1")).Text);
        var cookie = Driver.Manage().Cookies.GetCookieNamed(PageCookies.SessionName);
        Assert.NotNull(cookie);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Lax", cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.Null(Driver.ExecuteScript("return document.cookie.includes('funcauth.session') ? 'visible' : null;"));

        // Sent back: end-session knows the session, and asks.
        Driver.Navigate().GoToUrl(browser.Url(FuncAuthRoutes.EndSession));
        Assert.Equal(SignOutPage.ConfirmHeading, Driver.FindElement(By.TagName("h1")).Text);
        browser.Submit();
        Assert.Equal(SignOutPage.SignedOutHeading, Driver.FindElement(By.TagName("h1")).Text);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed(PageCookies.SessionName));
    }

    [Fact]
    public async Task A_wrong_password_shows_the_one_message_as_an_alert_tied_to_the_fields_with_the_focus_back_on_the_form()
    {
        var username = await RegisterAsync();
        OpenFresh(FuncAuthRoutes.LoginPage);
        Driver.FindElement(By.Id("username")).SendKeys(username);
        Driver.FindElement(By.Id("password")).SendKeys("not the password");
        browser.Submit();

        var alert = Driver.FindElement(By.CssSelector("[role=alert]"));
        Assert.Equal(Problems.LoginFailureDetail, alert.Text);
        var field = Driver.FindElement(By.Id("username"));
        Assert.Equal(alert.GetAttribute("id"), field.GetAttribute("aria-describedby"));
        Assert.Equal(username, field.GetDomProperty("value"));
        Assert.Equal(string.Empty, Driver.FindElement(By.Id("password")).GetDomProperty("value"));
        Assert.Equal("username", Driver.ExecuteScript("return document.activeElement.id;"));
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed(PageCookies.SessionName));
        Screenshot("sign-in-error.png");
    }

    [Fact]
    public async Task A_form_whose_anti_forgery_cookie_is_gone_is_refused_in_the_browser_too()
    {
        var username = await RegisterAsync();
        OpenFresh(FuncAuthRoutes.LoginPage);
        Driver.Manage().Cookies.DeleteCookieNamed(PageCookies.CsrfName);
        Driver.FindElement(By.Id("username")).SendKeys(username);
        Driver.FindElement(By.Id("password")).SendKeys(SignInForms.Password);
        browser.Submit();

        Assert.Equal(SignInPageMarkup.Forged, Driver.FindElement(By.CssSelector("[role=alert]")).Text);
        Assert.Null(Driver.Manage().Cookies.GetCookieNamed(PageCookies.SessionName));
    }

    private async Task<string> RegisterAsync()
    {
        var username = AuthClient.NewUsername();
        using var client = browser.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.RegisterAsync(username, SignInForms.Password)).StatusCode);
        return username;
    }

    /// <summary>Opens the page with none of this site's cookies left from an earlier test.</summary>
    private void OpenFresh(string relative)
    {
        browser.Open(relative);
        Driver.Manage().Cookies.DeleteAllCookies();
        browser.Open(relative);
    }

    private List<string> Errors() =>
        [.. browser.BrowserLog().Where(e => e.Level >= LogLevel.Warning && !e.Message.Contains("favicon.ico", StringComparison.Ordinal)).Select(e => e.Message)];

    private void Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);

        // Tall enough for the whole form and its links.
        Driver.Manage().Window.Size = new System.Drawing.Size(900, 900);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name));
    }
}
