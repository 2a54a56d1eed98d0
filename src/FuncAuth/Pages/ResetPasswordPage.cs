using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;

namespace FuncAuth.Pages;

/// <summary>The markup of <c>auth/reset-password</c>: the form, and the page a reset ends in.</summary>
internal static class ResetPasswordPage
{
    public const string Heading = "Choose a new password";

    public const string InvalidToken =
        "This link cannot be used: it has expired, it was already used, or it is incomplete. Ask for a new password reset email.";

    public const string MissingToken = "The code from the link is missing: open the link from the email again.";

    public const string Mismatch = "The two passwords are not the same. Type the new password twice.";

    public const string Unreadable = "The form could not be read. Please try again.";

    public const string Changed = "Your password was changed; every session was signed out.";

    private const string NewPasswordErrorId = "new-password-error";
    private const string ConfirmPasswordErrorId = "confirm-password-error";

    /// <summary>Which field an error is about: the alert is tied to it.</summary>
    public enum ErrorField
    {
        Token,
        NewPassword,
        ConfirmPassword,
    }

    /// <summary>The form, with <paramref name="error"/> announced and tied to its field; never a password filled in again.</summary>
    public static HtmlPage Form(
        HttpRequest request, string productName, string? token = null, string? error = null, ErrorField field = ErrorField.Token)
    {
        var errorId = field switch
        {
            ErrorField.NewPassword => NewPasswordErrorId,
            ErrorField.ConfirmPassword => ConfirmPasswordErrorId,
            _ => TokenFields.ErrorId,
        };
        var inError = error is null ? (ErrorField?)null : field;
        return Render(
            request,
            productName,
            Heading,
            (error is null ? string.Empty : Alert(errorId, error))
            + FormStart(request, FuncAuthRoutes.ResetPasswordPage)
            + TokenFields.Render(token, inError: inError == ErrorField.Token)
            + Field(
                "new-password", PageForm.NewPasswordField, "password", "New password", "new-password", required: true,
                errorId: inError == ErrorField.NewPassword ? NewPasswordErrorId : null)
            + Field(
                "confirm-password", PageForm.ConfirmPasswordField, "password", "Type the new password again", "new-password", required: true,
                errorId: inError == ErrorField.ConfirmPassword ? ConfirmPasswordErrorId : null)
            + FormEnd("Change my password"));
    }

    /// <summary>
    /// The end of a reset: no session is started here (whoever holds a reset link does not get signed in by it); the
    /// user signs in again in the app with the new password.
    /// </summary>
    public static HtmlPage Done(HttpRequest request, string productName) =>
        Render(
            request,
            productName,
            "Password changed",
            Paragraph(Changed, "success") + Paragraph("Sign in again with your new password. You can close this page."));
}
