using System.Net;
using System.Net.Http.Json;
using FuncAuth.Http;
using FuncAuth.Pages;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncAuth.Tests.Pages;

/// <summary>
/// The pages end to end, with real tokens: a message arrives by SMTP, its link is opened in the browser, the form is
/// sent. These need the confirmation and reset flows (EmailConfirmation, PasswordReset, the outbox and its composer).
/// </summary>
public sealed class PageEndToEndTests(PageMailFixture browser) : IClassFixture<PageMailFixture>
{
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a new and better passphrase";

    private ChromeDriver Driver => browser.Driver;

    [Fact]
    public async Task A_reset_through_the_page_sets_the_password_ends_every_session_and_spends_the_token()
    {
        using var client = browser.CreateClient();
        var (username, email) = NewUser();
        var (access, _) = await RegisterWithEmailAndStartSessionAsync(client, username, email);

        using var forgot = await client.PostAsJsonAsync(FuncAuthRoutes.ForgotPassword, new { email }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        var link = await browser.LinkAsync(email, FuncAuthRoutes.ResetPasswordPage);
        Assert.Equal(browser.BaseAddress.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));

        SubmitReset(link);
        Assert.Equal("Password changed", Driver.FindElement(By.TagName("h1")).Text);
        Assert.Contains(ResetPasswordPage.Changed, Driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);

        // Every earlier session and access token is refused; the new password works, the old one does not.
        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.Unauthorized, verified.StatusCode);
        using var oldLogin = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        using var newLogin = await client.LoginAsync(username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);

        // The link was spent: a second use gets the one message for an unusable token.
        SubmitReset(link);
        Assert.Equal(ResetPasswordPage.InvalidToken, Driver.FindElement(By.CssSelector("[role=alert]")).Text);
        Assert.True(Driver.FindElement(By.Id("token-entered")).Displayed);
        Assert.DoesNotContain(browser.RequestTargets, t => t.Contains(link.Fragment[1..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_either_link_spends_nothing_until_the_form_is_sent()
    {
        using var client = browser.CreateClient();
        var (username, email) = NewUser();
        await RegisterWithEmailAndStartSessionAsync(client, username, email);

        // A mail scanner (or the person, twice) opens the confirmation link: the address stays unconfirmed.
        var confirmation = await browser.LinkAsync(email, FuncAuthRoutes.ConfirmEmailPage);
        browser.Open(confirmation.PathAndQuery.TrimStart('/') + confirmation.Fragment);
        browser.Open(confirmation.PathAndQuery.TrimStart('/') + confirmation.Fragment);
        Assert.Equal(ConfirmEmailPage.Heading, Driver.FindElement(By.TagName("h1")).Text);

        // The same for the reset link: opened, then its token still works through the API.
        using var forgot = await client.PostAsJsonAsync(FuncAuthRoutes.ForgotPassword, new { email }, TestContext.Current.CancellationToken);
        var reset = await browser.LinkAsync(email, FuncAuthRoutes.ResetPasswordPage);
        browser.Open(reset.PathAndQuery.TrimStart('/') + reset.Fragment);
        var token = Uri.UnescapeDataString(reset.Fragment["#token=".Length..]);
        using var spent = await client.PostAsJsonAsync(FuncAuthRoutes.ResetPassword, new { token, new_password = NewPassword }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, spent.StatusCode);

        // The confirmation link's token still confirms, from the page's button.
        browser.Open(confirmation.PathAndQuery.TrimStart('/') + confirmation.Fragment);
        browser.Submit();
        Assert.Equal("Email address confirmed", Driver.FindElement(By.TagName("h1")).Text);
    }

    [Fact]
    public async Task A_password_the_rules_refuse_is_announced_on_its_field_and_the_token_is_kept()
    {
        using var client = browser.CreateClient();
        var (username, email) = NewUser();
        await RegisterWithEmailAndStartSessionAsync(client, username, email);
        using var forgot = await client.PostAsJsonAsync(FuncAuthRoutes.ForgotPassword, new { email }, TestContext.Current.CancellationToken);
        var link = await browser.LinkAsync(email, FuncAuthRoutes.ResetPasswordPage);

        SubmitReset(link, "short");
        var alert = Driver.FindElement(By.CssSelector("[role=alert]"));
        Assert.Equal(alert.GetAttribute("id"), Driver.FindElement(By.Id("new-password")).GetAttribute("aria-describedby"));

        // The refusal did not spend the token: the form kept it, and a good password now goes through.
        Driver.FindElement(By.Id("new-password")).SendKeys(NewPassword);
        Driver.FindElement(By.Id("confirm-password")).SendKeys(NewPassword);
        browser.Submit();
        Assert.Equal("Password changed", Driver.FindElement(By.TagName("h1")).Text);
    }

    private static (string Username, string Email) NewUser()
    {
        var username = AuthClient.NewUsername();
        return (username, $"{username}@example.test");
    }

    private static async Task<(string Access, string Refresh)> RegisterWithEmailAndStartSessionAsync(HttpClient client, string username, string email)
    {
        using var registered = await client.RegisterWithEmailAsync(username, email, Password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return await client.StartSessionAsync(username, Password);
    }

    private void SubmitReset(Uri link, string password = NewPassword)
    {
        browser.Open(link.PathAndQuery.TrimStart('/') + link.Fragment);
        Driver.FindElement(By.Id("new-password")).SendKeys(password);
        Driver.FindElement(By.Id("confirm-password")).SendKeys(password);
        browser.Submit();
    }
}
