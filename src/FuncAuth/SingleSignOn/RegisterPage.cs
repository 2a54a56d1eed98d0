using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>The markup of <c>auth/register</c>: the fields of <c>api/auth/register</c>, the password twice.</summary>
internal static class RegisterPage
{
    public const string Heading = "Create an account";

    public const string ConfirmPasswordField = "confirm_password";

    public const string EmailField = "email";

    public const string Mismatch = "The two passwords are not the same. Type the password twice.";

    /// <summary>Which field an error is about: the alert describes it and it takes the focus.</summary>
    public enum ErrorField
    {
        Username,
        Password,
        ConfirmPassword,
        Email,
    }

    public static HtmlPage Form(
        HttpRequest request, string productName, string csrf, string authorize, bool emailRequired,
        string? username = null, string? email = null, string? error = null, ErrorField field = ErrorField.Username)
    {
        string? ErrorFor(ErrorField f) => error is not null && field == f ? "register-error" : null;
        var body = (error is null ? string.Empty : Alert("register-error", error))
            + FormStart(request, FuncAuthRoutes.RegisterPage)
            + FormFields(csrf, authorize)
            + Field("username", LoginPage.UsernameField, "text", "Username", "username", required: true,
                errorId: ErrorFor(ErrorField.Username), value: username, autofocus: error is null || field == ErrorField.Username)
            + Field("password", LoginPage.PasswordField, "password", "Password", "new-password", required: true,
                errorId: ErrorFor(ErrorField.Password), autofocus: error is not null && field == ErrorField.Password)
            + Field("confirm-password", ConfirmPasswordField, "password", "Type the password again", "new-password", required: true,
                errorId: ErrorFor(ErrorField.ConfirmPassword), autofocus: error is not null && field == ErrorField.ConfirmPassword)
            + Field("email", EmailField, "email", emailRequired ? "Email address" : "Email address (optional)", "email", required: emailRequired,
                errorId: ErrorFor(ErrorField.Email), value: email, autofocus: error is not null && field == ErrorField.Email)
            + FormEnd("Create my account")
            + Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.LoginPage, authorize), "I already have an account");
        return Render(request, productName, Heading, body);
    }

    public static HtmlPage Done(HttpRequest request, string productName, string authorize, bool withEmail) =>
        Render(
            request,
            productName,
            "Account created",
            Paragraph("Your account is ready.", "success")
            + (withEmail ? Paragraph("We sent a message to confirm your email address.") : string.Empty)
            + Link(AuthorizeQuery.PageUrl(request, FuncAuthRoutes.LoginPage, authorize), "Sign in"));
}
