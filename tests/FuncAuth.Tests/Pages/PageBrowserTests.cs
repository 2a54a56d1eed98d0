using FuncAuth.Http;
using FuncAuth.Pages;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncAuth.Tests.Pages;

/// <summary>
/// The confirm-email and reset-password pages in a real browser (headless Chromium) against the Kestrel host listening
/// for real: the stylesheet and script load under the pages' Content-Security-Policy, the link's token goes from the
/// fragment into the form and out of the address, and the server never receives it.
/// </summary>
public sealed class PageBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    // Shaped like a real token (base64url, 43 characters): what must never reach the server.
    private const string Token = "Zm9yLXRoZS1wYWdlcy10ZXN0cy1vbmx5LW5vdC1yZWFs";

    private ChromeDriver Driver => browser.Driver;

    [Theory]
    [InlineData(FuncAuthRoutes.ResetPasswordPage)]
    [InlineData(FuncAuthRoutes.ConfirmEmailPage)]
    public void The_page_loads_with_its_stylesheet_applied_and_no_console_error_or_csp_violation(string route)
    {
        browser.Open(route);

        Assert.Single(Driver.FindElements(By.TagName("h1")));
        Assert.Equal("en", Driver.FindElement(By.TagName("html")).GetAttribute("lang"));

        // The sheet was loaded and applied: main is laid out as funcauth.css says (28rem wide at most, rounded corners).
        var main = Driver.FindElement(By.TagName("main"));
        Assert.Equal("448px", main.GetCssValue("max-width"));
        Assert.Equal("8px", main.GetCssValue("border-top-left-radius"));

        // The script ran (it is the only one, and the policy allows no other): with no fragment it leaves the box shown.
        Assert.True(Driver.FindElement(By.Id("token-entered")).Displayed);

        // No error of any kind: a blocked style or script, a failed load, a script error. (Chromium's own request for
        // /favicon.ico is the browser's, not the page's.)
        var errors = browser.BrowserLog()
            .Where(e => e.Level >= LogLevel.Warning && !e.Message.Contains("favicon.ico", StringComparison.Ordinal))
            .Select(e => e.Message)
            .ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void The_fragment_token_lands_in_the_hidden_field_and_leaves_the_address_and_history()
    {
        // As from a mail client: a new tab's blank page, then the link.
        Driver.Navigate().GoToUrl("about:blank");
        var historyBefore = HistoryLength();
        Driver.Navigate().GoToUrl(browser.Url($"{FuncAuthRoutes.ResetPasswordPage}#token={Token}"));

        var hidden = Driver.FindElement(By.CssSelector("input[type=hidden][name=token]"));
        Assert.Equal(Token, hidden.GetDomProperty("value"));

        // The address has no fragment any more, and the entry in history was replaced, not added to.
        Assert.Equal(browser.Url(FuncAuthRoutes.ResetPasswordPage).AbsoluteUri, Driver.Url);
        Assert.Equal(string.Empty, Driver.ExecuteScript("return location.hash;"));
        Assert.Equal(historyBefore + 1, HistoryLength());

        // The box to paste the token by hand is not needed: hidden.
        Assert.False(Driver.FindElement(By.Id("token-entered")).Displayed);

        // Back goes to where the link was opened from: no entry with the token is left to come back to.
        Driver.Navigate().Back();
        Assert.Equal("about:blank", Driver.Url);
        Driver.Navigate().Forward();
        Assert.Equal(browser.Url(FuncAuthRoutes.ResetPasswordPage).AbsoluteUri, Driver.Url);
    }

    [Fact]
    public void Without_a_fragment_the_box_for_the_token_is_shown_with_its_label()
    {
        browser.Open(FuncAuthRoutes.ConfirmEmailPage);

        var box = Driver.FindElement(By.Id("token-entered"));
        Assert.True(box.Displayed);
        Assert.Equal(string.Empty, Driver.FindElement(By.CssSelector("input[type=hidden][name=token]")).GetDomProperty("value"));
        Assert.True(Driver.FindElement(By.CssSelector("label[for=token-entered]")).Displayed);
        Assert.Equal("Confirm my address", Driver.FindElement(By.CssSelector("button[type=submit]")).Text);
    }

    [Fact]
    public void The_server_never_receives_the_fragment_token_not_in_a_request_line_nor_in_a_log()
    {
        var seen = browser.RequestTargets.Count;
        browser.Open($"{FuncAuthRoutes.ConfirmEmailPage}#token={Token}");
        browser.Open($"{FuncAuthRoutes.ResetPasswordPage}#token={Token}");

        // The pages were requested by path alone (their stylesheet and script too, unless the browser had them cached),
        // and the script did take the token.
        var targets = browser.RequestTargets.Skip(seen).ToList();
        Assert.Contains("/" + FuncAuthRoutes.ConfirmEmailPage, targets);
        Assert.Contains("/" + FuncAuthRoutes.ResetPasswordPage, targets);
        Assert.All(targets.Where(t => t.Contains("/assets/", StringComparison.Ordinal)), t => Assert.Matches("^/auth/assets/funcauth\\.(css|js)\\?v=[A-Za-z0-9_-]{16}$", t));
        Assert.Equal(Token, Driver.FindElement(By.CssSelector("input[type=hidden][name=token]")).GetDomProperty("value"));
        Assert.DoesNotContain(targets, t => t.Contains(Token, StringComparison.Ordinal) || t.Contains('#', StringComparison.Ordinal));
        Assert.DoesNotContain(browser.App.Logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void Passwords_that_differ_are_refused_before_the_token_is_looked_at_with_the_error_announced_on_the_field()
    {
        browser.Open($"{FuncAuthRoutes.ResetPasswordPage}#token={Token}");
        Driver.FindElement(By.Id("new-password")).SendKeys("correct horse battery staple");
        Driver.FindElement(By.Id("confirm-password")).SendKeys("correct horse battery stapler");
        browser.Submit();

        // The form again (the POST answered a page: the flow was never called, so no 500), the error as an alert.
        var alert = Driver.FindElement(By.CssSelector("[role=alert]"));
        Assert.Equal(ResetPasswordPage.Mismatch, alert.Text);
        var confirmation = Driver.FindElement(By.Id("confirm-password"));
        Assert.Equal(alert.GetAttribute("id"), confirmation.GetAttribute("aria-describedby"));
        Assert.Equal("true", confirmation.GetAttribute("aria-invalid"));

        // Neither password is sent back; the token is kept, so the person can try again without the link.
        Assert.Equal(string.Empty, Driver.FindElement(By.Id("new-password")).GetDomProperty("value"));
        Assert.Equal(Token, Driver.FindElement(By.CssSelector("input[type=hidden][name=token]")).GetDomProperty("value"));
        Assert.False(Driver.FindElement(By.Id("token-entered")).Displayed);
        Assert.Equal(browser.Url(FuncAuthRoutes.ResetPasswordPage).AbsoluteUri, Driver.Url);
        Assert.DoesNotContain(browser.App.Logs.Lines, l => l.Contains("correct horse", StringComparison.Ordinal));
    }

    [Fact]
    public void Keyboard_focus_is_visible_on_every_control()
    {
        browser.Open(FuncAuthRoutes.ResetPasswordPage);
        Driver.FindElement(By.TagName("body")).SendKeys(Keys.Tab);
        var focused = Driver.SwitchTo().ActiveElement();
        Assert.Equal("token-entered", focused.GetAttribute("id"));
        Assert.Equal("solid", focused.GetCssValue("outline-style"));
        Assert.Equal("3px", focused.GetCssValue("outline-width"));

        // Tab through the rest: the two password fields, then the button, each with the outline.
        foreach (var expected in new[] { "new-password", "confirm-password" })
        {
            focused.SendKeys(Keys.Tab);
            focused = Driver.SwitchTo().ActiveElement();
            Assert.Equal(expected, focused.GetAttribute("id"));
            Assert.Equal("3px", focused.GetCssValue("outline-width"));
        }

        focused.SendKeys(Keys.Tab);
        focused = Driver.SwitchTo().ActiveElement();
        Assert.Equal("button", focused.TagName);
        Assert.Equal("3px", focused.GetCssValue("outline-width"));
    }

    private long HistoryLength() =>
        Convert.ToInt64(Driver.ExecuteScript("return history.length;"), System.Globalization.CultureInfo.InvariantCulture);
}
