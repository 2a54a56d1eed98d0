using FuncAuth.Http;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static FuncAuth.Pages.PageLayout;
using static FuncAuth.SingleSignOn.SignInPageMarkup;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The markup of the sign-in's second step (after the right password, for an account with TOTP on): a form for the code
/// of the authenticator app and, folded away, one for a recovery code. Both post to <c>auth/login/mfa</c> with the
/// single-use <c>mfa_token</c> of the password step, the anti-forgery token and the carried authorization request.
/// </summary>
internal static class SecondFactorPage
{
    public const string Heading = "Two-step sign-in";

    public const string MfaTokenField = "mfa_token";

    public const string CodeField = "code";

    public const string RecoveryCodeField = "recovery_code";

    public const string ErrorId = "mfa-error";

    public const string WrongCode = "That code did not work. Enter the code your authenticator app shows now, or use a recovery code.";

    public const string WrongRecoveryCode = "That recovery code did not work. Each recovery code works once.";

    public const string MissingCode = "Enter the code from your authenticator app, or a recovery code.";

    /// <summary>The sign-in form's message when the second step's token is unknown, spent or expired.</summary>
    public const string Expired = "That sign-in took too long or was already used. Sign in again.";

    /// <summary>
    /// The two forms. <paramref name="error"/>, when given, is announced once (<c>role=alert</c>) and describes the field it is
    /// about; a recovery code in error opens its part of the page.
    /// </summary>
    public static HtmlPage Form(HttpRequest request, string productName, string csrf, string authorize, string mfaToken, string? error = null, bool recoveryInError = false)
    {
        var codeError = error is not null && !recoveryInError ? ErrorId : null;
        var recoveryError = error is not null && recoveryInError ? ErrorId : null;
        var body = (error is null ? string.Empty : Alert(ErrorId, error))
            + FormStart(request, FuncAuthRoutes.SecondFactorPage)
            + FormFields(csrf, authorize)
            + Hidden(MfaTokenField, mfaToken)

            // one-time-code lets the browser or password manager offer the code; numeric brings up the digits keypad.
            + Field("code", CodeField, "text", "Code from your authenticator app", "one-time-code", required: true,
                errorId: codeError, hint: "The 6 digits the app shows for this account now.", hintId: "code-hint",
                autofocus: !recoveryInError, inputAttributes: "inputmode=\"numeric\" pattern=\"[0-9 ]{6,7}\" maxlength=\"7\"")
            + FormEnd("Continue")
            + (recoveryInError ? "<details open>\n" : "<details>\n")
            + "<summary>Use a recovery code instead</summary>\n"
            + FormStart(request, FuncAuthRoutes.SecondFactorPage)
            + FormFields(csrf, authorize)
            + Hidden(MfaTokenField, mfaToken)
            + Field("recovery-code", RecoveryCodeField, "text", "Recovery code", "off", required: true,
                errorId: recoveryError, hint: "One of the codes you saved when you turned on two-step sign-in. Each works once.",
                hintId: "recovery-code-hint", autofocus: recoveryInError, inputAttributes: "maxlength=\"64\"")
            + FormEnd("Use recovery code")
            + "</details>\n";
        return Render(request, productName, Heading, body);
    }
}
