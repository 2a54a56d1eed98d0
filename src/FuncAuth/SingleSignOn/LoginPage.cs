using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>The markup of <c>auth/login</c>: the form (inputs named as password managers expect) and the signed-in page.</summary>
internal static class LoginPage
{
    public const string Heading = "Sign in";

    public const string UsernameField = "username";

    public const string PasswordField = "password";

    public const string ErrorId = "login-error";

    public const string NotConfirmed = "Confirm your email address first: open the link in the message we sent you.";

    /// <summary>What the page's links may offer: registration (when enabled) and recovery (when email is configured).</summary>
    public sealed record Links(bool Register, bool ForgotPassword);

    /// <summary>
    /// The form. The error, when there is one, is announced (<c>role=alert</c>), describes both fields and takes the focus
    /// to the username; the password is never filled in again.
    /// </summary>
    public static HtmlPage Form(
        HttpRequest request, string productName, string csrf, string authorize, Links links, string? username = null, string? error = null)
    {
        var errorId = error is null ? null : ErrorId;
        var body = (error is null ? string.Empty : Alert(ErrorId, error))
            + FormStart(request, FuncAuthRoutes.LoginPage)
            + FormFields(csrf, authorize)
            + Field("username", UsernameField, "text", "Username", "username", required: true, errorId: errorId, value: username, autofocus: true)
            + Field("password", PasswordField, "password", "Password", "current-password", required: true, errorId: errorId)
            + FormEnd("Sign in");
        if (links.ForgotPassword)
        {
            body += Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.ForgotPasswordPage, authorize), "Forgot your password?");
        }

        if (links.Register)
        {
            body += Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.RegisterPage, authorize), "Create an account");
        }

        return Render(request, productName, Heading, body);
    }

    /// <summary>A sign-in that came from no application: nothing to go back to.</summary>
    public static HtmlPage SignedIn(HttpRequest request, string productName, string username) =>
        Render(request, productName, "Signed in", Paragraph($"You are signed in as {username}.", "success") + Paragraph("You can close this page."));
}
