using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Mfa;

/// <summary>
/// The second factor for API clients: TOTP enrolment (<c>api/auth/mfa/totp</c>, its confirmation, turning it off) and the
/// second step of a sign-in that answered <c>mfa_required</c> (<c>api/auth/login/mfa</c>). The declarations come first; the
/// handlers hold only their own logic (the runner has applied the throttle, the bearer token and the body's limits).
/// </summary>
internal sealed class TotpEndpoints(
    SecondFactorSignIn secondFactor, TotpEnrolment enrolment, GuardedPasswordCheck passwords, AccountService accounts, ILogger<TotpEndpoints> logger)
{
    /// <summary>What a refused mfa_token says (it is a secret: saying why is harmless, and tells the user what to do).</summary>
    public const string MfaTokenInvalidDetail = "The mfa_token is invalid, spent or expired, or the account changed since the password step; sign in again with the password.";

    public const string NotConfiguredDetail = "TOTP is not configured on this deployment (FuncAuth:Mfa:EncryptionKey).";

    private const string Tag = "Second factor";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.LoginSecondFactor, FuncAuthRoutes.LoginSecondFactor, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginSecondFactorAsync(request, ct)) with
        {
            Summary = "Complete a sign-in with a second factor",
            Description = "The second step after login answered 403 mfa_required: the mfa_token it carried and either a current " +
                "6-digit TOTP code (`code`) or one of the recovery codes (`recovery_code`), exactly one of them. Answers as login " +
                "does (200, a new session's tokens; amr [\"pwd\",\"otp\",\"mfa\"] with a code, [\"pwd\",\"mfa\"] with a recovery " +
                "code). A code is accepted once: the same code, or one of an earlier time step, is refused, also to a request racing " +
                "it. One step of clock difference is tolerated either way. A wrong, replayed or out-of-window code, a spent recovery " +
                "code and a locked name get login's one 401 (\"" + Problems.LoginFailureDetail + "\"), and count toward the " +
                "account's lockout exactly as wrong passwords do; the mfa_token stays usable until it expires. An mfa_token that " +
                "is unknown, spent (single use), older than 5 minutes, minted for the hosted page, or whose account changed its " +
                "password since, is 401 with detail \"" + MfaTokenInvalidDetail + "\". A used recovery code is spent, and the owner " +
                "is told by email (when email is configured and the address confirmed). Both or neither of code and recovery_code, " +
                "or malformed JSON, is 400. An account disabled since the password step is 403, problem type `" +
                AccountEndpoints.AccountDisabledType + "` (detail \"" + Accounts.SignInResult.AccountDisabledDetail + "\").",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Json,
            BodySchema = typeof(SecondFactorBody),
            Problems = [Status400BadRequest, Status401Unauthorized, Status403Forbidden],
            Describe = builder => builder.WithResponseHeader(Status401Unauthorized, HeaderNames.WWWAuthenticate, "`Bearer`."),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.EnrolTotp, FuncAuthRoutes.Totp, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.EnrolAsync(request, ct)) with
        {
            Summary = "Begin TOTP enrolment",
            Description = "Checks the password again (a wrong one is 403 and counts toward lockout) and answers a new TOTP secret " +
                "(RFC 6238: SHA-1, 6 digits, 30-second steps) as base32, as an otpauth:// URI and as that URI in a QR code (SVG), " +
                "for an authenticator app. The secret is pending, replacing any earlier pending one, until POST " +
                FuncAuthRoutes.TotpConfirmation + " confirms it with a code; it is stored encrypted (AES-256-GCM under " +
                "FuncAuth:Mfa:EncryptionKey). 409 when TOTP is on already (turn it off first); 404 when the deployment has no " +
                "encryption key; 400 for malformed JSON.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            BodySchema = typeof(TotpEnrolmentBody),
            Problems = [Status400BadRequest, Status403Forbidden, Status404NotFound, Status409Conflict],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ConfirmTotp, FuncAuthRoutes.TotpConfirmation, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.ConfirmAsync(request, ct)) with
        {
            Summary = "Turn TOTP on",
            Description = "Confirms the pending secret with a current code from the authenticator app: TOTP is on, and the answer " +
                "holds 10 recovery codes, shown this once (only their hashes are stored; each signs in once in place of a code). " +
                "From now on login and the password grant answer mfa_required after the right password. The confirming code " +
                "cannot sign in afterwards. A code that does not match the pending secret is 400 naming code; no pending secret " +
                "(never begun, or confirmed already) or TOTP on already is 409; 404 when the deployment has no encryption key.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            BodySchema = typeof(TotpConfirmationBody),
            Problems = [Status400BadRequest, Status404NotFound, Status409Conflict],
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DisableTotp, FuncAuthRoutes.Totp, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.DisableAsync(request, ct)) with
        {
            Summary = "Turn TOTP off",
            Description = "Checks the password again and a current TOTP code (or, for an owner who lost the app, one of the recovery " +
                "codes, which it spends), then turns TOTP off and removes the recovery codes: sign-in is the password alone again. " +
                "A wrong password is 403 (counts toward lockout); a wrong, replayed or out-of-window code or a spent recovery code " +
                "is 403 too, and counts toward lockout as a wrong password does; 409 when TOTP is not on; 400 for malformed JSON.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            BodySchema = typeof(TotpDisableBody),
            Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict],
        },
    ];

    /// <summary><c>POST api/auth/login/mfa</c>: JSON <see cref="SecondFactorBody"/> → 200 <see cref="AccessTokenResponse"/>, as login.</summary>
    private async ValueTask<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginSecondFactorAsync(
        EndpointRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = RequestBody.ParseJson(
            request.Body, MfaJson.Default.SecondFactorBody, "{\"mfa_token\": \"...\", \"code\": \"123456\"} or {\"mfa_token\": \"...\", \"recovery_code\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        if (string.IsNullOrEmpty(fields.MfaToken))
        {
            return Problems.Invalid("mfa_token", "The mfa_token from login's mfa_required answer is required.");
        }

        if ((fields.Code is null) == (fields.RecoveryCode is null))
        {
            return Problems.BadRequest("Send exactly one of code (from the authenticator app) and recovery_code.");
        }

        var result = await secondFactor.CompleteAsync(fields.MfaToken, fields.Code, fields.RecoveryCode, SessionKind.Direct, cancellationToken);
        return result switch
        {
            { SignIn: { } signIn } => OAuthEndpoints.Success(signIn),
            { Outcome: SignInOutcome.MfaTokenInvalid } => Problems.Unauthorized(request.Response, "Bearer", MfaTokenInvalidDetail),
            { Outcome: SignInOutcome.AccountDisabled } => AccountEndpoints.AccountDisabled(),
            _ => Problems.LoginFailed(request.Response),
        };
    }

    /// <summary><c>POST api/auth/mfa/totp</c>: bearer token and JSON <see cref="TotpEnrolmentBody"/> → 200 <see cref="TotpSetupResponse"/>.</summary>
    private async ValueTask<Results<Ok<TotpSetupResponse>, ProblemHttpResult>> EnrolAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!enrolment.IsAvailable)
        {
            return Problems.NotFound(NotConfiguredDetail);
        }

        var (fields, problem) = RequestBody.ParseJson(request.Body, MfaJson.Default.TotpEnrolmentBody, "{\"password\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        var (account, refusal) = await CheckPasswordAsync(request, fields.Password, "enrol", cancellationToken);
        if (account is null)
        {
            return refusal!;
        }

        if (await enrolment.IsEnabledAsync(account.Id, cancellationToken))
        {
            return Problems.Conflict("TOTP is on already; turn it off first (DELETE " + FuncAuthRoutes.Totp + ").");
        }

        var setup = await enrolment.BeginAsync(account, cancellationToken);
        return TypedResults.Ok(new TotpSetupResponse(setup.Secret, setup.OtpAuthUri, setup.QrCodeSvg));
    }

    /// <summary><c>POST api/auth/mfa/totp/confirm</c>: bearer token and JSON <see cref="TotpConfirmationBody"/> → 200 <see cref="RecoveryCodesResponse"/>.</summary>
    private async ValueTask<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult>> ConfirmAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!enrolment.IsAvailable)
        {
            return Problems.NotFound(NotConfiguredDetail);
        }

        var (fields, problem) = RequestBody.ParseJson(request.Body, MfaJson.Default.TotpConfirmationBody, "{\"code\": \"123456\"}");
        if (fields is null)
        {
            return problem!;
        }

        if (fields.Code is null)
        {
            return Problems.Invalid("code", "A current code from the authenticator app is required.");
        }

        if (await accounts.FindCallerAsync(request.Caller, cancellationToken) is not { } account)
        {
            return BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");
        }

        var (outcome, codes) = await enrolment.TryConfirmAsync(account, fields.Code, cancellationToken);
        return outcome switch
        {
            TotpConfirmation.Enabled => TypedResults.Ok(new RecoveryCodesResponse(codes!)),
            TotpConfirmation.WrongCode => Problems.Invalid("code", "The code does not match the pending secret; check the authenticator app's clock and try the current code."),
            TotpConfirmation.AlreadyEnabled => Problems.Conflict("TOTP is on already."),
            _ => Problems.Conflict("No TOTP enrolment is pending; begin with POST " + FuncAuthRoutes.Totp + "."),
        };
    }

    /// <summary><c>DELETE api/auth/mfa/totp</c>: bearer token and JSON <see cref="TotpDisableBody"/> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> DisableAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = RequestBody.ParseJson(request.Body, MfaJson.Default.TotpDisableBody, "{\"password\": \"...\", \"code\": \"123456\"}");
        if (fields is null)
        {
            return problem!;
        }

        if (fields.Code is null)
        {
            return Problems.Invalid("code", "A current code from the authenticator app, or a recovery code, is required.");
        }

        var (account, refusal) = await CheckPasswordAsync(request, fields.Password, "disable", cancellationToken);
        if (account is null)
        {
            return refusal!;
        }

        return await enrolment.TryDisableAsync(account, fields.Code, cancellationToken) switch
        {
            TotpDisabling.Disabled => TypedResults.NoContent(),
            TotpDisabling.NotEnabled => Problems.Conflict("TOTP is not on."),
            _ => Problems.Forbidden("The code is incorrect; TOTP stays on."),
        };
    }

    /// <summary>The caller's password checked again, through the lockout: the account, or the answer.</summary>
    private async Task<(UserAccount? Account, ProblemHttpResult? Refusal)> CheckPasswordAsync(
        EndpointRequest request, string? typed, string step, CancellationToken cancellationToken)
    {
        var (password, passwordError) = Credentials.CheckPassword(typed);
        if (password is null)
        {
            return (null, Problems.Invalid("password", passwordError!));
        }

        if (request.CallerName is not { } username)
        {
            return (null, BearerToken.InvalidToken(request.Response, "The access token is invalid."));
        }

        var check = await passwords.CheckAsync(username, password, request.Caller.Subject, cancellationToken);
        switch (check.Verdict)
        {
            case PasswordVerdict.NoAccount:
                return (null, BearerToken.InvalidToken(request.Response, "The access token's account no longer exists."));
            case PasswordVerdict.Wrong:
                SecurityEvents.TotpChangeRefused(logger, request.Caller.Subject, step, "wrong password");
                return (null, Problems.Forbidden("The password is incorrect; nothing was changed."));
        }

        return (check.Account, null);
    }
}

/// <summary>The second step of a sign-in: the mfa token and exactly one of a TOTP code and a recovery code.</summary>
internal sealed class SecondFactorBody
{
    [JsonPropertyName("mfa_token")]
    [Required]
    [Description("The mfa_token of login's (or the password grant's) mfa_required answer: single use, valid 5 minutes.")]
    public string? MfaToken { get; init; }

    [JsonPropertyName("code")]
    [Description("The current 6-digit code of the authenticator app (a space in the middle is ignored). Or send recovery_code.")]
    public string? Code { get; init; }

    [JsonPropertyName("recovery_code")]
    [Description("One of the recovery codes given when TOTP was turned on (XXXXX-XXXXX; case, spaces and hyphens ignored). Or send code.")]
    public string? RecoveryCode { get; init; }
}

/// <summary>The body of a TOTP enrolment: the password again, for a change to how the account is proven.</summary>
internal sealed class TotpEnrolmentBody
{
    [JsonPropertyName("password")]
    [Required]
    [Description("The account's password.")]
    public string? Password { get; init; }
}

/// <summary>The body of a TOTP confirmation.</summary>
internal sealed class TotpConfirmationBody
{
    [JsonPropertyName("code")]
    [Required]
    [Description("The current 6-digit code the authenticator app shows for the pending secret.")]
    public string? Code { get; init; }
}

/// <summary>The body that turns TOTP off.</summary>
internal sealed class TotpDisableBody
{
    [JsonPropertyName("password")]
    [Required]
    [Description("The account's password.")]
    public string? Password { get; init; }

    [JsonPropertyName("code")]
    [Required]
    [Description("The current 6-digit code of the authenticator app, or one of the recovery codes (spent by this).")]
    public string? Code { get; init; }
}

/// <summary>200 from <c>POST api/auth/mfa/totp</c>: the pending secret, for an authenticator app.</summary>
public sealed record TotpSetupResponse(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("otpauth_uri")] string OtpAuthUri,
    [property: JsonPropertyName("qr_code_svg")] string QrCodeSvg);

/// <summary>200 from <c>POST api/auth/mfa/totp/confirm</c>: the recovery codes, shown this once.</summary>
public sealed record RecoveryCodesResponse([property: JsonPropertyName("recovery_codes")] IReadOnlyList<string> RecoveryCodes);

/// <summary>Strict JSON for the second factor's bodies: a property given twice is an error.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SecondFactorBody))]
[JsonSerializable(typeof(TotpEnrolmentBody))]
[JsonSerializable(typeof(TotpConfirmationBody))]
[JsonSerializable(typeof(TotpDisableBody))]
internal sealed partial class MfaJson : JsonSerializerContext;
