using System.ComponentModel;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Mfa;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The hosted sign-in's other ways through: the second step after the password (<c>auth/login/mfa</c>: a TOTP code or a
/// recovery code) and the passkey button's assertion (<c>auth/login/passkey</c>). Each passes the checks every form of
/// the pages passes first (not cross-site, the anti-forgery token, a plain carried query) and ends as the password form
/// does (<see cref="SignInPageFlow.SignedInAsync"/>): a browser session, its cookie, and the way back to authorize.
/// </summary>
internal sealed class SignInStepPageEndpoints(
    SignInPageFlow flow, SecondFactorSignIn secondFactor, PasskeySignIn passkeys, ILogger<SignInStepPageEndpoints> logger)
{
    /// <summary>More than any assertion a browser writes (a few hundred bytes of base64url), less than the body limit.</summary>
    private const int MaxCredentialLength = 16 * 1024;

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.SecondFactorPageSubmit, FuncAuthRoutes.SecondFactorPage, PageEndpoints.Tag, (SignInStepPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.SecondFactorAsync(request, ct)) with
        {
            Summary = "Complete a sign-in from the page with a second factor",
            Description = "The second step of the sign-in page, for an account with TOTP on: the `mfa_token` the password step's " +
                "page carried, and either `code` (the authenticator app's current 6 digits) or `recovery_code` (one of the 10, " +
                "spent once used). Checked as api/auth/login/mfa checks them (a code is accepted once; wrong codes count toward " +
                "the account's lockout). The right one ends as the password form does: a browser session and its cookie, then " +
                "303 to api/auth/authorize with the carried query, or the signed-in page. A wrong code: the form again with one " +
                "message (the token stays usable until it expires). A token that is unknown, spent or expired: the sign-in form " +
                "with a message to start again." + SignInPageEndpoints.FormsNote,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(SecondFactorPageForm),
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLoginPageSubmit, FuncAuthRoutes.PasskeyLoginPage, PageEndpoints.Tag, (SignInStepPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PasskeyAsync(request, ct)) with
        {
            Summary = "Sign in from the page with a passkey",
            Description = "What the sign-in page's \"Sign in with a passkey\" button posts: `credential`, the assertion as " +
                "`PublicKeyCredential.toJSON()` writes it, answering options from api/auth/passkeys/login/options. Verified as " +
                "api/auth/passkeys/login verifies it (single-use challenge, origin and relying party id, user verification, " +
                "signature counter); a passkey satisfies the second factor. Success ends as the password form does (browser " +
                "session, cookie, 303 to api/auth/authorize or the signed-in page); any refusal: the sign-in form with one " +
                "message." + SignInPageEndpoints.FormsNote,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(PasskeyLoginPageForm),
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
    ];

    public const string PasskeyFailed = "That passkey could not sign you in. Try again, or sign in with your password.";

    /// <summary><c>POST auth/login/mfa</c> (form): the second factor for the password step the token stands for.</summary>
    private async ValueTask<Results<HtmlPage, SeeOther>> SecondFactorAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (form, authorize, refused) = flow.ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var http = request.Http;
        if (form![SecondFactorPage.MfaTokenField] is not { Length: > 0 } mfaToken)
        {
            return flow.LoginForm(http, authorize!, message: SecondFactorPage.Expired);
        }

        var code = NonEmpty(form[SecondFactorPage.CodeField]);
        var recoveryCode = NonEmpty(form[SecondFactorPage.RecoveryCodeField]);
        HtmlPage Again(string error, bool recovery) => flow.AllowingWayBack(
            SecondFactorPage.Form(http, flow.ProductName, flow.IssueCsrf(http), authorize!, mfaToken, error, recovery), authorize!);

        // Exactly one of the two: each form sends its own field, so both or neither is a form not sent from the page.
        if ((code is null) == (recoveryCode is null))
        {
            return Again(SecondFactorPage.MissingCode, recovery: false);
        }

        var result = await secondFactor.CompleteAsync(mfaToken, code, recoveryCode, SessionKind.Browser, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Succeeded when result.SignIn is { } signIn:
                return await flow.SignedInAsync(http, signIn, authorize!, cancellationToken);
            case SignInOutcome.MfaTokenInvalid:
                return flow.LoginForm(http, authorize!, message: SecondFactorPage.Expired);
            case SignInOutcome.AccountDisabled:
                return flow.LoginForm(http, authorize!, message: SignInResult.AccountDisabledDetail);
            default:
                // A wrong, replayed or out-of-window code, a spent recovery code, or a locked account: one message each way.
                return recoveryCode is null
                    ? Again(SecondFactorPage.WrongCode, recovery: false)
                    : Again(SecondFactorPage.WrongRecoveryCode, recovery: true);
        }
    }

    /// <summary><c>POST auth/login/passkey</c> (form): the assertion the passkey button's script put in the form.</summary>
    private async ValueTask<Results<HtmlPage, SeeOther>> PasskeyAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (form, authorize, refused) = flow.ReadForm(request);
        if (refused is not null)
        {
            return refused;
        }

        var http = request.Http;
        if (!flow.PasskeysOn || form![LoginPage.CredentialField] is not { Length: > 0 and <= MaxCredentialLength } credential)
        {
            SecurityEvents.PagePasskeySignInFailed(logger);
            return flow.LoginForm(http, authorize!, message: PasskeyFailed);
        }

        var result = await passkeys.SignInAsync(credential, SessionKind.Browser, cancellationToken);
        if (result.Outcome != SignInOutcome.Succeeded || result.SignIn is not { } signIn)
        {
            // PasskeySignIn logged why (PasskeySignInRefused, or SignInRefusedAccountDisabled after a valid assertion).
            var message = result.Outcome == SignInOutcome.AccountDisabled ? SignInResult.AccountDisabledDetail : PasskeyFailed;
            return flow.LoginForm(http, authorize!, message: message);
        }

        return await flow.SignedInAsync(http, signIn, authorize!, cancellationToken);
    }

    private static string? NonEmpty(string? value) => value?.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}

/// <summary>What the second step's forms post (one of <c>code</c> and <c>recovery_code</c>).</summary>
internal sealed record SecondFactorPageForm(
    [property: JsonPropertyName(SecondFactorPage.MfaTokenField), Description("The single-use token of the password step, carried by the page.")] string MfaToken,
    [property: JsonPropertyName(SecondFactorPage.CodeField), Description("The authenticator app's current code (6 digits).")] string? Code,
    [property: JsonPropertyName(SecondFactorPage.RecoveryCodeField), Description("A recovery code, instead of the code.")] string? RecoveryCode,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf,
    [property: JsonPropertyName(SignInPageMarkup.AuthorizeField), Description("The authorization request's query string, to go back to.")] string? Authorize);

/// <summary>What the passkey button's form posts.</summary>
internal sealed record PasskeyLoginPageForm(
    [property: JsonPropertyName(LoginPage.CredentialField), Description("The assertion, as PublicKeyCredential.toJSON() writes it (JSON text).")] string Credential,
    [property: JsonPropertyName(PageCsrf.FieldName), Description("The anti-forgery token the page put in the form.")] string Csrf,
    [property: JsonPropertyName(SignInPageMarkup.AuthorizeField), Description("The authorization request's query string, to go back to.")] string? Authorize);
