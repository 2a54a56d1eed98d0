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

    /// <summary>
    /// What the page may offer besides the password: registration (when enabled), recovery (when email is configured), and
    /// the passkey button (when the deployment has a relying party: FuncAuth:Passkeys, or an https issuer).
    /// </summary>
    public sealed record Links(bool Register, bool ForgotPassword, bool Passkeys = false);

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
            + FormEnd("Sign in")
            + (links.Passkeys ? PasskeyButton(request, csrf, authorize) : string.Empty);
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

    public const string PasskeyButtonText = "Sign in with a passkey";

    public const string CredentialField = "credential";

    /// <summary>
    /// The passkey way in: a form posting to <c>auth/login/passkey</c> with the anti-forgery token, the carried request and a
    /// hidden <c>credential</c> the script fills with the assertion (<c>PublicKeyCredential.toJSON()</c>). Hidden until the
    /// script has seen that the browser can use passkeys (<c>window.PublicKeyCredential</c>): without it the button would
    /// do nothing. Its button is <c>type="button"</c>, so Enter in the password form never starts it.
    /// </summary>
    private static string PasskeyButton(HttpRequest request, string csrf, string authorize) =>
        "<div class=\"passkey\" data-funcauth-passkey-signin hidden>\n"
        + Paragraph("or", "divider")
        + FormStart(request, FuncAuthRoutes.PasskeyLoginPage,
            $"data-funcauth-passkey-options=\"{Encode($"{request.PathBase}/{FuncAuthRoutes.PasskeyLoginOptions}")}\"")
        + FormFields(csrf, authorize)
        + Hidden(CredentialField, null)
        + $"<button type=\"button\" class=\"secondary\" data-funcauth-passkey-get>{Encode(PasskeyButtonText)}</button>\n</form>\n</div>\n";

    /// <summary>A sign-in that came from no application: nothing to go back to but the account page.</summary>
    public static HtmlPage SignedIn(HttpRequest request, string productName, string username) =>
        Render(request, productName, "Signed in", Paragraph($"You are signed in as {username}.", "success")
            + Link($"{request.PathBase}/{FuncAuthRoutes.AccountPage}", "Your account: passkeys and two-step sign-in")
            + Paragraph("You can close this page."));
}
