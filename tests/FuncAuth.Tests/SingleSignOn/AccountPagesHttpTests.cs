using System.Net;
using FuncAuth.Http;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>The registration and forgot-password pages: the API's flows behind a form, carrying the authorization request.</summary>
public sealed class AccountPagesHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Authorize = "client_id=web-app&state=xyz";

    [Fact]
    public async Task Registering_on_the_page_creates_an_account_that_can_sign_in_and_links_back_to_the_sign_in_with_the_request()
    {
        var username = AuthClient.NewUsername();
        using var browser = SignInForms.Browser(App);
        var (html, csrf) = await browser.FormAsync($"{FuncAuthRoutes.RegisterPage}?{Authorize}");
        Assert.Contains("autocomplete=\"new-password\"", html, StringComparison.Ordinal);
        Assert.Equal(Authorize, SignInForms.Hidden(html, "authorize"));

        using var mismatch = await browser.PostFormAsync(
            FuncAuthRoutes.RegisterPage, ("csrf", csrf), ("authorize", Authorize), ("username", username), ("password", SignInForms.Password), ("confirm_password", "something else"));
        Assert.Equal(RegisterPage.Mismatch, SignInForms.Alert(await mismatch.Content.ReadAsStringAsync()));

        using var created = await browser.PostFormAsync(
            FuncAuthRoutes.RegisterPage, ("csrf", csrf), ("authorize", Authorize), ("username", username), ("password", SignInForms.Password), ("confirm_password", SignInForms.Password));
        var done = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("<h1>Account created</h1>", done, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/auth/login?{WebUtility.HtmlEncode(Authorize)}\">", done, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Client.LoginAsync(username, SignInForms.Password)).StatusCode);

        using var taken = await browser.PostFormAsync(
            FuncAuthRoutes.RegisterPage, ("csrf", csrf), ("username", username), ("password", SignInForms.Password), ("confirm_password", SignInForms.Password));
        Assert.Equal("That username is taken.", SignInForms.Alert(await taken.Content.ReadAsStringAsync()));

        using var forged = await browser.PostFormAsync(
            FuncAuthRoutes.RegisterPage, ("username", AuthClient.NewUsername()), ("password", SignInForms.Password), ("confirm_password", SignInForms.Password));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task The_forgot_password_page_answers_the_same_for_an_address_with_an_account_and_one_without()
    {
        using var browser = SignInForms.Browser(App);
        var (html, csrf) = await browser.FormAsync($"{FuncAuthRoutes.ForgotPasswordPage}?{Authorize}");
        Assert.Contains("name=\"email\" autocomplete=\"email\"", html, StringComparison.Ordinal);

        using var unknown = await browser.PostFormAsync(FuncAuthRoutes.ForgotPasswordPage, ("csrf", csrf), ("authorize", Authorize), ("email", "nobody@example.com"));
        var answer = await unknown.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(ForgotPasswordPage.Sent), answer, StringComparison.Ordinal);

        using var invalid = await browser.PostFormAsync(FuncAuthRoutes.ForgotPasswordPage, ("csrf", csrf), ("email", "not an address"));
        Assert.NotNull(SignInForms.Alert(await invalid.Content.ReadAsStringAsync()));

        using var forged = await browser.PostFormAsync(FuncAuthRoutes.ForgotPasswordPage, ("email", "nobody@example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }
}

/// <summary>With self-registration off, the page is gone and the sign-in page does not offer it.</summary>
public sealed class RegistrationDisabledPageTests(StorageFixture storage)
    : AppTests(new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Registration:Enabled"] = "false" }))
{
    [Fact]
    public async Task The_registration_page_is_404_and_not_linked()
    {
        using var browser = SignInForms.Browser(App);
        using var page = await browser.GetAsync(FuncAuthRoutes.RegisterPage);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);

        var (html, _) = await browser.FormAsync(FuncAuthRoutes.LoginPage);
        Assert.DoesNotContain("/auth/register", html, StringComparison.Ordinal);
        Assert.Contains("/auth/forgot-password", html, StringComparison.Ordinal);
    }
}
