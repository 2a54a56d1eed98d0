using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Security;
using FuncAuth.Sessions;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>
/// <c>register</c>, <c>login</c> and <c>password</c>: credentials in, an account, a session's tokens or a changed
/// password out. Both hosts call these handlers and nothing else: Kestrel through <see cref="Map"/>, Azure Functions
/// through one thin <c>[Function]</c> each.
/// </summary>
public sealed partial class AccountEndpoints
{
    private readonly AccountService _accounts;
    private readonly PasswordSignIn _signIn;
    private readonly BearerAuthentication _bearer;
    private readonly ClientThrottle _throttle;
    private readonly ILogger<AccountEndpoints> _logger;

    internal AccountEndpoints(
        AccountService accounts, PasswordSignIn signIn, BearerAuthentication bearer, ClientThrottle throttle, ILogger<AccountEndpoints> logger)
    {
        _accounts = accounts;
        _signIn = signIn;
        _bearer = bearer;
        _throttle = throttle;
        _logger = logger;
    }

    /// <summary><c>POST api/auth/register</c>: JSON credentials → 201 <see cref="AccountCreated"/>.</summary>
    public async Task<Results<Created<AccountCreated>, ProblemHttpResult>> RegisterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        if (_throttle.Check(request) is { } throttled)
        {
            return throttled;
        }

        if (!_accounts.RegistrationEnabled)
        {
            return Problems.Forbidden("Self-registration is disabled.");
        }

        var (credentials, problem) = await Credentials.ReadAsync(request, allowForm: false, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        if (_accounts.RefusePassword(credentials.Password, credentials.Username) is { } refusal)
        {
            return Problems.Invalid("password", refusal);
        }

        try
        {
            var account = await _accounts.RegisterAsync(credentials.Username, credentials.Password, cancellationToken);
            if (account is null)
            {
                return Problems.Conflict("That username is taken.");
            }

            SecurityEvents.Registered(_logger, account.Id);
            return TypedResults.Created((string?)null, new AccountCreated(account.Id, account.Username));
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary><c>POST api/auth/login</c>: JSON or form credentials → 200 <see cref="AccessTokenResponse"/>, a new session's tokens.</summary>
    public async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        if (_throttle.Check(request) is { } throttled)
        {
            return throttled;
        }

        var (credentials, problem) = await Credentials.ReadAsync(request, allowForm: true, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        try
        {
            var result = await _signIn.SignInAsync(credentials.Username, credentials.Password, cancellationToken);
            return result.SignIn is { } signIn ? OAuthEndpoints.Success(signIn) : Problems.LoginFailed(request.HttpContext.Response);
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary>
    /// <c>POST api/auth/password</c>: bearer token and JSON <see cref="PasswordChangeBody"/> → 204. The new password
    /// follows registration's rules; every other session of the user ends, the caller's stays.
    /// </summary>
    public async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        if (_throttle.Check(request) is { } throttled)
        {
            return throttled;
        }

        try
        {
            var (token, username, problem) = await AuthenticateOwnerAsync(request, cancellationToken);
            if (token is null)
            {
                return problem!;
            }

            var (change, bodyProblem) = await ReadPasswordChangeAsync(request, cancellationToken);
            if (change is null)
            {
                return bodyProblem!;
            }

            if (_accounts.RefusePassword(change.Value.New, username!) is { } refusal)
            {
                return Problems.Invalid("new_password", refusal);
            }

            switch (await _accounts.ChangePasswordAsync(username!, token.Subject, change.Value.Current, change.Value.New, token.SessionId, cancellationToken))
            {
                case PasswordChange.WrongPassword:
                    SecurityEvents.PasswordChangeRefused(_logger, token.Subject);
                    return Problems.Forbidden("The current password is incorrect; the password was not changed.");
                case PasswordChange.NoAccount:
                    return BearerToken.InvalidToken(request.HttpContext.Response, "The access token's account no longer exists.");
                case PasswordChange.Conflict:
                    return Problems.Conflict("The account changed while the password was being changed; nothing was changed. Try again.");
            }

            SecurityEvents.PasswordChanged(_logger, token.Subject);
            return TypedResults.NoContent();
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary>
    /// <c>DELETE api/auth/account</c>: bearer token and JSON <see cref="AccountDeletionBody"/> → 204. The user's tokens are
    /// revoked and sessions ended everywhere first, then the account is removed: its name is free again.
    /// </summary>
    public async Task<Results<NoContent, ProblemHttpResult>> DeleteAccountAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        if (_throttle.Check(request) is { } throttled)
        {
            return throttled;
        }

        try
        {
            var (token, username, problem) = await AuthenticateOwnerAsync(request, cancellationToken);
            if (token is null)
            {
                return problem!;
            }

            var (fields, bodyProblem) = await RequestBody.ReadJsonAsync(request, AccountJson.Default.AccountDeletionBody, "{\"password\": \"...\"}", cancellationToken);
            if (fields is null)
            {
                return bodyProblem!;
            }

            var (password, passwordError) = Credentials.CheckPassword(fields.Password);
            if (password is null)
            {
                return Problems.Invalid("password", passwordError!);
            }

            switch (await _accounts.DeleteAsync(username!, token.Subject, password, cancellationToken))
            {
                case PasswordChange.WrongPassword:
                    SecurityEvents.PasswordChangeRefused(_logger, token.Subject);
                    return Problems.Forbidden("The password is incorrect; the account was not deleted.");
                case PasswordChange.NoAccount:
                    return BearerToken.InvalidToken(request.HttpContext.Response, "The access token's account no longer exists.");
            }

            SecurityEvents.AccountDeleted(_logger, token.Subject);
            return TypedResults.NoContent();
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup(string.Empty).WithTags("Accounts");
        accounts.MapPost(FuncAuthRoutes.Register, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.RegisterAsync(request, ct)).WithName("register")
            .WithSummary("Create an account")
            .WithDescription("Creates a user from a username and a password (JSON) and answers with the new user's id. Refuses an invalid " +
                "username or password (400, naming the field), a name already taken (409), a body over 8 KiB (413), anything but " +
                "UTF-8 JSON (415), and every request while self-registration is disabled (403).")
            .Accepts<Credentials.CredentialsBody>(Credentials.JsonMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesThrottling()
            .ProducesStorageUnavailable();
        accounts.MapPost(FuncAuthRoutes.Login, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.LoginAsync(request, ct)).WithName("login")
            .WithSummary("Log in for an access token and a refresh token")
            .WithDescription("Checks a username and password, as JSON or as a form like an OAuth 2.0 password request, starts a " +
                "session and answers with a signed access token and the session's refresh token (RFC 6749 §5.1). An unknown user " +
                "and a wrong password get one and the same 401; malformed input is refused with 400, a body over 8 KiB with 413, " +
                "other media types with 415.")
            .Accepts<Credentials.CredentialsBody>(Credentials.JsonMediaType, Credentials.FormMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithResponseHeader(StatusCodes.Status401Unauthorized, HeaderNames.WWWAuthenticate, "`Bearer`.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesThrottling()
            .ProducesStorageUnavailable();
        accounts.MapPost(FuncAuthRoutes.Password, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.ChangePasswordAsync(request, ct)).WithName("changePassword")
            .WithSummary("Change your password")
            .WithDescription("Checks the current password and sets the new one (the rules of registration), then ends every other " +
                "session of the user; the caller's session stays. A wrong current password is 403 and changes nothing; an invalid " +
                "new password 400 naming new_password; a body over 8 KiB 413; anything but UTF-8 JSON 415.")
            .Accepts<PasswordChangeBody>(Credentials.JsonMediaType)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequiresBearerToken()
            .ProducesThrottling()
            .ProducesStorageUnavailable();
        accounts.MapDelete(FuncAuthRoutes.Account, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.DeleteAccountAsync(request, ct)).WithName("deleteAccount")
            .WithSummary("Delete your account")
            .WithDescription("Checks the password again, ends every session of the user and revokes every access token issued before " +
                "it, then removes the account (its name becomes free). A wrong password is 403 and changes nothing (and counts " +
                "towards lockout).")
            .Accepts<AccountDeletionBody>(Credentials.JsonMediaType)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequiresBearerToken()
            .ProducesThrottling()
            .ProducesStorageUnavailable();
    }

    /// <summary>
    /// The caller of an account step: a live bearer token and the account name it was issued for (the name is the
    /// account's key; the token's <c>sub</c> is checked against the account found by it).
    /// </summary>
    private async Task<(AccessToken? Token, Username? Username, ProblemHttpResult? Problem)> AuthenticateOwnerAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var (token, problem) = await _bearer.AuthenticateAsync(request, cancellationToken);
        if (token is null)
        {
            return (null, null, problem);
        }

        return Username.TryCreate(token.Username, out var username, out _)
            ? (token, username, null)
            : (null, null, BearerToken.InvalidToken(request.HttpContext.Response, "The access token is invalid."));
    }

    private static async Task<((string Current, string New)? Change, ProblemHttpResult? Problem)> ReadPasswordChangeAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = await RequestBody.ReadJsonAsync(
            request, AccountJson.Default.PasswordChangeBody, "{\"current_password\": \"...\", \"new_password\": \"...\"}", cancellationToken);
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
[JsonSerializable(typeof(PasswordChangeBody))]
[JsonSerializable(typeof(AccountDeletionBody))]
internal sealed partial class AccountJson : JsonSerializerContext;
