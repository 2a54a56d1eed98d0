using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Http.Pipeline;
using FuncAuth.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// <c>register</c>, <c>login</c>, <c>password</c>, the caller's profile and account deletion: credentials in, an account, a
/// session's tokens or a changed password out. The declarations come first; the handlers hold only their own logic (the runner has already
/// applied the throttle, the bearer token and the body's limits).
/// </summary>
internal sealed class AccountEndpoints(AccountService accounts, PasswordSignIn signIns, ILogger<AccountEndpoints> logger)
{
    private const string Tag = "Accounts";

    /// <summary>The problem type of a sign-in refused for want of a confirmed address (RFC 9457 §3.1.1: an identifier, not a page).</summary>
    public const string EmailNotConfirmedType = "urn:funcauth:problem:email-not-confirmed";

    public const string EmailNotConfirmedTitle = "Email address not confirmed";

    public const string EmailNotConfirmedDetail = "The account's email address is not confirmed.";

    /// <summary>The problem type of a sign-in of a disabled account, answered only after the right password (or a valid passkey).</summary>
    public const string AccountDisabledType = "urn:funcauth:problem:account-disabled";

    public const string AccountDisabledTitle = "Account disabled";

    /// <summary>What the API says about a disabled account in prose (login and the sign-in endpoints that answer as login).</summary>
    public const string AccountDisabledDescription = " The right password (or a valid passkey, or a right second step) for an account an " +
        "administrator disabled is refused with 403, problem type `" + AccountDisabledType + "` (title \"" + AccountDisabledTitle +
        "\", detail \"" + Accounts.SignInResult.AccountDisabledDetail + "\"), and no session is started; before that proof it gets the usual 401.";

    /// <summary>The problem type of a right password whose account needs its second factor to finish signing in.</summary>
    public const string MfaRequiredType = "urn:funcauth:problem:mfa-required";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Register, FuncAuthRoutes.Register, Tag, (AccountEndpoints api, EndpointRequest request, CancellationToken ct) => api.RegisterAsync(request, ct)) with
        {
            Summary = "Create an account",
            Description = "Creates a user from a username, a password and an optional email address (JSON; required when " +
                "FuncAuth:Accounts:RequireEmail is on) and answers with the new user's id. The address is stored unconfirmed, its " +
                "domain in ASCII (IDNA) form, and belongs to one account only (compared without regard to case). Refuses an invalid " +
                "username, password or email address, or a missing required one (400, naming the field), a name already taken " +
                "(409, \"That username is taken.\"), an address another account holds (409, \"That email address is already in " +
                "use.\"), a body over 8 KiB (413), anything but UTF-8 JSON (415), and every request while self-registration is " +
                "disabled (403).",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Json,
            BodySchema = typeof(RegistrationBody),
            Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Login, FuncAuthRoutes.Login, Tag, (AccountEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginAsync(request, ct)) with
        {
            Summary = "Log in for an access token and a refresh token",
            Description = "Checks a username and password, as JSON or as a form like an OAuth 2.0 password request, starts a " +
                "session and answers with a signed access token and the session's refresh token (RFC 6749 §5.1). An unknown user, " +
                "a wrong password and a locked name get one and the same 401; malformed input is refused with 400, a body over " +
                "8 KiB with 413, other media types with 415. While FuncAuth:Accounts:RequireConfirmedEmail is on, the right " +
                "password for an account whose email address is missing or not confirmed is refused with 403, problem type `" +
                EmailNotConfirmedType + "` (title \"Email address not confirmed\"), and no session is started; a wrong password " +
                "for such an account gets the usual 401. For an account with TOTP on, the right password starts no session: 403, " +
                "problem type `" + MfaRequiredType + "` (title \"Second factor required\"), with the extension members " +
                "`error` (\"mfa_required\") and `mfa_token` (single use, valid 5 minutes, bound to this password step): send it " +
                "with the authenticator app's code (or a recovery code) to POST " + FuncAuthRoutes.LoginSecondFactor + "." +
                AccountDisabledDescription,
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.JsonOrForm,
            BodySchema = typeof(Credentials.CredentialsBody),
            Problems = [Status400BadRequest, Status401Unauthorized, Status403Forbidden],
            Describe = builder => builder.WithResponseHeader(Status401Unauthorized, HeaderNames.WWWAuthenticate, "`Bearer`."),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ChangePassword, FuncAuthRoutes.Password, Tag, (AccountEndpoints api, EndpointRequest request, CancellationToken ct) => api.ChangePasswordAsync(request, ct)) with
        {
            Summary = "Change your password",
            Description = "Checks the current password and sets the new one (the rules of registration), then ends every other " +
                "session of the user; the caller's session stays. A wrong current password is 403 and changes nothing; an invalid " +
                "new password 400 naming new_password; a body over 8 KiB 413; anything but UTF-8 JSON 415.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            BodySchema = typeof(PasswordChangeBody),
            Problems = [Status400BadRequest, Status403Forbidden, Status409Conflict],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.GetAccount, FuncAuthRoutes.Account, Tag, (AccountEndpoints api, EndpointRequest request, CancellationToken ct) => api.GetAccountAsync(request, ct)) with
        {
            Summary = "Your account",
            Description = "The caller's profile: id, username, email address (null when the account has none), whether the address " +
                "is confirmed, and when the account was created (RFC 3339; null for accounts made before it was recorded). An " +
                "account deleted since the token was issued gets the same 401 as an invalid token.",
            RequiresBearerToken = true,
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DeleteAccount, FuncAuthRoutes.Account, Tag, (AccountEndpoints api, EndpointRequest request, CancellationToken ct) => api.DeleteAccountAsync(request, ct)) with
        {
            Summary = "Delete your account",
            Description = "Checks the password again, ends every session of the user and revokes every access token issued before " +
                "it, then removes the account (its name becomes free). A wrong password is 403 and changes nothing (and counts " +
                "towards lockout).",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            BodySchema = typeof(AccountDeletionBody),
            Problems = [Status400BadRequest, Status403Forbidden],
        },
    ];

    /// <summary><c>POST api/auth/register</c>: JSON <see cref="RegistrationBody"/> → 201 <see cref="AccountCreated"/>.</summary>
    private async ValueTask<Results<Created<AccountCreated>, ProblemHttpResult>> RegisterAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (!accounts.RegistrationEnabled)
        {
            return Problems.Forbidden("Self-registration is disabled.");
        }

        var (fields, bodyProblem) = RequestBody.ParseJson(
            request.Body, AccountJson.Default.RegistrationBody, "{\"username\": \"...\", \"password\": \"...\", \"email\": \"...\"}");
        if (fields is null)
        {
            return bodyProblem!;
        }

        var (credentials, problem) = Credentials.Check(fields.Username, fields.Password);
        if (credentials is null)
        {
            return problem!;
        }

        EmailAddress? email = null;
        if (fields.Email is null)
        {
            if (accounts.EmailRequired)
            {
                return Problems.Invalid("email", "An email address is required.");
            }
        }
        else if (!EmailAddress.TryCreate(fields.Email, out email, out var emailError))
        {
            return Problems.Invalid("email", emailError);
        }

        if (accounts.RefusePassword(credentials.Password, credentials.Username) is { } refusal)
        {
            return Problems.Invalid("password", refusal);
        }

        // Saying that an address is taken tells the caller it has an account here (OWASP: account enumeration). Registration
        // cannot avoid it without sending mail for every attempt; the password-check budget limits how fast anyone can ask.
        var registration = await accounts.RegisterAsync(credentials.Username, credentials.Password, email, cancellationToken);
        switch (registration.Outcome)
        {
            case RegistrationOutcome.UsernameTaken:
                return Problems.Conflict("That username is taken.");
            case RegistrationOutcome.EmailTaken:
                SecurityEvents.RegistrationRefusedEmailTaken(logger);
                return Problems.Conflict("That email address is already in use.");
        }

        var account = registration.Account!;
        SecurityEvents.Registered(logger, account.Id);
        return TypedResults.Created((string?)null, new AccountCreated(account.Id, account.Username));
    }

    /// <summary><c>POST api/auth/login</c>: JSON or form credentials → 200 <see cref="AccessTokenResponse"/>, a new session's tokens.</summary>
    private async ValueTask<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginAsync(
        EndpointRequest request, CancellationToken cancellationToken)
    {
        var (credentials, problem) = Credentials.Parse(request.Body, request.IsForm);
        if (credentials is null)
        {
            return problem!;
        }

        // One answer for an unknown user, a wrong password and a locked name: don't reveal who has an account.
        var result = await signIns.SignInAsync(credentials.Username, credentials.Password, cancellationToken);
        return result switch
        {
            { SignIn: { } signIn } => OAuthEndpoints.Success(signIn),
            { Outcome: SignInOutcome.EmailNotConfirmed } => EmailNotConfirmed(),
            { Outcome: SignInOutcome.AccountDisabled } => AccountDisabled(),
            { Outcome: SignInOutcome.MfaRequired, MfaToken: { } mfaToken } => MfaRequired(mfaToken),
            _ => Problems.LoginFailed(request.Response),
        };
    }

    /// <summary>
    /// <c>GET api/auth/account</c>: bearer token → 200 <see cref="AccountProfile"/>. The account is read by the token's name
    /// and must still be the token's user: a name freed by a deletion and taken again is another person's.
    /// </summary>
    private async ValueTask<Results<Ok<AccountProfile>, ProblemHttpResult>> GetAccountAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (request.CallerName is not { } username)
        {
            return BearerToken.InvalidToken(request.Response, "The access token is invalid.");
        }

        if (await accounts.FindAsync(username, request.Caller.Subject, cancellationToken) is not { } account)
        {
            return BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");
        }

        return TypedResults.Ok(new AccountProfile(account.Id, account.Username, account.Email, account.EmailConfirmed, account.CreatedAt));
    }

    /// <summary>
    /// <c>POST api/auth/password</c>: bearer token and JSON <see cref="PasswordChangeBody"/> → 204. The new password
    /// follows registration's rules; every other session of the user ends, the caller's stays.
    /// </summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (request.CallerName is not { } username)
        {
            return BearerToken.InvalidToken(request.Response, "The access token is invalid.");
        }

        var (change, problem) = ReadPasswordChange(request.Body);
        if (change is null)
        {
            return problem!;
        }

        if (accounts.RefusePassword(change.Value.New, username) is { } refusal)
        {
            return Problems.Invalid("new_password", refusal);
        }

        var caller = request.Caller;
        switch (await accounts.ChangePasswordAsync(username, caller.Subject, change.Value.Current, change.Value.New, caller.SessionId, cancellationToken))
        {
            case PasswordChange.WrongPassword:
                SecurityEvents.PasswordChangeRefused(logger, caller.Subject);
                return Problems.Forbidden("The current password is incorrect; the password was not changed.");
            case PasswordChange.NoAccount:
                return BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");
            case PasswordChange.Conflict:
                return Problems.Conflict("The account changed while the password was being changed; nothing was changed. Try again.");
        }

        SecurityEvents.PasswordChanged(logger, caller.Subject);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>DELETE api/auth/account</c>: bearer token and JSON <see cref="AccountDeletionBody"/> → 204. The user's tokens are
    /// revoked and sessions ended everywhere first, then the account is removed: its name is free again.
    /// </summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> DeleteAccountAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        if (request.CallerName is not { } username)
        {
            return BearerToken.InvalidToken(request.Response, "The access token is invalid.");
        }

        var (fields, problem) = RequestBody.ParseJson(request.Body, AccountJson.Default.AccountDeletionBody, "{\"password\": \"...\"}");
        if (fields is null)
        {
            return problem!;
        }

        var (password, passwordError) = Credentials.CheckPassword(fields.Password);
        if (password is null)
        {
            return Problems.Invalid("password", passwordError!);
        }

        var caller = request.Caller;
        switch (await accounts.DeleteAsync(username, caller.Subject, password, cancellationToken))
        {
            case PasswordChange.WrongPassword:
                SecurityEvents.AccountDeletionRefused(logger, caller.Subject);
                return Problems.Forbidden("The password is incorrect; the account was not deleted.");
            case PasswordChange.NoAccount:
                return BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");
        }

        SecurityEvents.AccountDeleted(logger, caller.Subject);
        return TypedResults.NoContent();
    }

    /// <summary>403 <see cref="EmailNotConfirmedType"/>: the right password for an account whose address is not confirmed.</summary>
    private static ProblemHttpResult EmailNotConfirmed() => TypedResults.Problem(new ProblemDetails
    {
        Type = EmailNotConfirmedType,
        Title = EmailNotConfirmedTitle,
        Status = Status403Forbidden,
        Detail = EmailNotConfirmedDetail + " Confirm it with the link sent to it, then sign in again.",
    });

    /// <summary>
    /// 403 <see cref="AccountDisabledType"/>: the user proved who they are, but an administrator disabled the account. Shared
    /// by every endpoint that answers as login (the second step, passkeys).
    /// </summary>
    internal static ProblemHttpResult AccountDisabled() => TypedResults.Problem(new ProblemDetails
    {
        Type = AccountDisabledType,
        Title = AccountDisabledTitle,
        Status = Status403Forbidden,
        Detail = Accounts.SignInResult.AccountDisabledDetail,
    });

    /// <summary>
    /// 403 <see cref="MfaRequiredType"/>: the right password, and a second factor to go. Only ever answered after the right
    /// password, so it tells a guesser nothing; the token is worthless without the code.
    /// </summary>
    private static ProblemHttpResult MfaRequired(string mfaToken) => TypedResults.Problem(new ProblemDetails
    {
        Type = MfaRequiredType,
        Title = "Second factor required",
        Status = Status403Forbidden,
        Detail = "The password is right; finish signing in with a code from the authenticator app (or a recovery code) and this mfa_token at " +
            FuncAuthRoutes.LoginSecondFactor + ".",
        Extensions = { ["error"] = "mfa_required", ["mfa_token"] = mfaToken },
    });

    private static ((Password Current, Password New)? Change, ProblemHttpResult? Problem) ReadPasswordChange(byte[] body)
    {
        var (fields, problem) = RequestBody.ParseJson(
            body, AccountJson.Default.PasswordChangeBody, "{\"current_password\": \"...\", \"new_password\": \"...\"}");
        if (fields is null)
        {
            return (null, problem);
        }

        var (current, currentError) = Credentials.CheckPassword(fields.CurrentPassword);
        if (current is null)
        {
            return (null, Problems.Invalid("current_password", currentError!));
        }

        var (newPassword, newError) = Credentials.CheckPassword(fields.NewPassword);
        return newPassword is null
            ? (null, Problems.Invalid("new_password", newError!))
            : ((current, newPassword), null);
    }
}

/// <summary>The body of a registration: <see cref="Credentials.CredentialsBody"/> and an optional email address.</summary>
internal sealed class RegistrationBody
{
    [JsonPropertyName("username")]
    [Required]
    [Description(Credentials.UsernameDescription)]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    [Required]
    [Description(Credentials.PasswordDescription)]
    public string? Password { get; init; }

    [JsonPropertyName("email")]
    [Description("Optional (required when FuncAuth:Accounts:RequireEmail is on). A mailbox as RFC 5321 has it, at most 254 " +
        "characters: ASCII letters, digits, dots and !#$%&'*+-/=?^_`{|}~ before the @ (at most 64), a host name after it (an " +
        "internationalised one is stored in its ASCII form). No display name, comments, quoted names, IP literals or spaces.")]
    public string? Email { get; init; }
}

/// <summary>200 from <c>GET api/auth/account</c>: the caller's profile.</summary>
public sealed record AccountProfile(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_confirmed")] bool EmailConfirmed,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt);

/// <summary>The body of a password change.</summary>
internal sealed class PasswordChangeBody
{
    [JsonPropertyName("current_password")]
    [Required]
    [Description("The password the account has now.")]
    public string? CurrentPassword { get; init; }

    [JsonPropertyName("new_password")]
    [Required]
    [Description("The rules of registration: at most 128 UTF-16 code units, at least 8 after Unicode NFKC normalisation, not a " +
        "common password, not containing the username.")]
    public string? NewPassword { get; init; }
}

/// <summary>The body of an account deletion: the password again, for a step that cannot be undone (OWASP ASVS 3.7.1).</summary>
internal sealed class AccountDeletionBody
{
    [JsonPropertyName("password")]
    [Required]
    [Description("The account's password.")]
    public string? Password { get; init; }
}

/// <summary>Strict JSON for the account bodies: a property given twice is an error.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(RegistrationBody))]
[JsonSerializable(typeof(PasswordChangeBody))]
[JsonSerializable(typeof(AccountDeletionBody))]
internal sealed partial class AccountJson : JsonSerializerContext;
