using FuncAuth.Accounts;
using FuncAuth.Revocation;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>
/// The whole HTTP surface of FuncAuth: one handler per endpoint, <see cref="HttpRequest"/> in and a typed
/// result out, so the contract is in the signatures. Both hosts call these and nothing else: Kestrel
/// through <c>MapFuncAuth</c>, Azure Functions through one thin <c>[Function]</c> per handler.
/// </summary>
public sealed partial class FuncAuthHandlers
{
    private const string BearerTokenType = "Bearer";

    private readonly AccountService _accounts;
    private readonly TokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;
    private readonly RevocationList _revocations;
    private readonly FuncAuthTables _tables;
    private readonly ILogger<FuncAuthHandlers> _logger;

    internal FuncAuthHandlers(
        AccountService accounts,
        TokenIssuer issuer,
        AccessTokenValidator validator,
        RevocationList revocations,
        FuncAuthTables tables,
        ILogger<FuncAuthHandlers> logger)
    {
        _accounts = accounts;
        _issuer = issuer;
        _validator = validator;
        _revocations = revocations;
        _tables = tables;
        _logger = logger;
    }

    /// <summary><c>POST api/auth/register</c>: JSON credentials → 201 <see cref="AccountCreated"/>.</summary>
    public async Task<Results<Created<AccountCreated>, ProblemHttpResult>> RegisterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        NoStore(request.HttpContext.Response);
        if (!_accounts.RegistrationEnabled)
        {
            return Problems.Forbidden("Self-registration is disabled.");
        }

        var (credentials, problem) = await Credentials.ReadAsync(request, allowForm: false, isNewPassword: true, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        try
        {
            var account = await _accounts.RegisterAsync(credentials.Username, credentials.Password, cancellationToken);
            if (account is null)
            {
                return Problems.Conflict("That username is taken.");
            }

            LogRegistered(_logger, account.Id);
            return TypedResults.Created((string?)null, new AccountCreated(account.Id, account.Username));
        }
        catch (StorageUnavailableException e)
        {
            return Unavailable(request, e);
        }
    }

    /// <summary><c>POST api/auth/login</c>: JSON or form credentials → 200 <see cref="AccessTokenResponse"/>.</summary>
    public async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        NoStore(request.HttpContext.Response);
        var (credentials, problem) = await Credentials.ReadAsync(request, allowForm: true, isNewPassword: false, cancellationToken);
        if (credentials is null)
        {
            return problem!;
        }

        try
        {
            var account = await _accounts.AuthenticateAsync(credentials.Username, credentials.Password, cancellationToken);
            if (account is null)
            {
                // One answer for an unknown user and a wrong password: don't reveal who has an account.
                LogLoginFailed(_logger);
                return Problems.LoginFailed(request.HttpContext.Response);
            }

            var token = _issuer.Issue(account);
            LogLoggedIn(_logger, account.Id);
            return TypedResults.Ok(new AccessTokenResponse(token.Token, BearerTokenType, (long)token.Lifetime.TotalSeconds));
        }
        catch (StorageUnavailableException e)
        {
            return Unavailable(request, e);
        }
    }

    /// <summary><c>GET|POST api/auth/verify</c>: bearer token → 200 <see cref="TokenIntrospection"/>, or 401 with an RFC 6750 challenge.</summary>
    public async Task<Results<Ok<TokenIntrospection>, ProblemHttpResult>> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        NoStore(response);
        var (token, problem) = await ValidateAsync(request);
        if (token is null)
        {
            return problem!;
        }

        try
        {
            if (await _revocations.IsRevokedAsync(token, cancellationToken))
            {
                return BearerToken.InvalidToken(response, "The access token has been revoked.");
            }
        }
        catch (StorageUnavailableException e)
        {
            // Fail closed: without the revocation list a logged-out token must not pass.
            return Unavailable(request, e);
        }

        return TypedResults.Ok(new TokenIntrospection(
            Active: true,
            token.Subject,
            token.Username,
            token.Issuer,
            token.Audience,
            token.IssuedAt.ToUnixTimeSeconds(),
            token.NotBefore.ToUnixTimeSeconds(),
            token.Expires.ToUnixTimeSeconds(),
            token.TokenId,
            BearerTokenType));
    }

    /// <summary><c>POST api/auth/logout</c>: bearer token → 204, and the token is revoked until it expires.</summary>
    public async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        NoStore(request.HttpContext.Response);
        var (token, problem) = await ValidateAsync(request);
        if (token is null)
        {
            return problem!;
        }

        try
        {
            // Revoking is idempotent, so logging out twice is simply 204 twice.
            await _revocations.RevokeAsync(token, cancellationToken);
            LogLoggedOut(_logger, token.Subject);
            return TypedResults.NoContent();
        }
        catch (StorageUnavailableException e)
        {
            return Unavailable(request, e);
        }
    }

    /// <summary><c>GET api/health</c>: 200 when storage answers, 503 when it does not.</summary>
    public async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> HealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        NoStore(request.HttpContext.Response);
        try
        {
            await _tables.ProbeAsync(cancellationToken);
            return TypedResults.Ok(new HealthStatus("Healthy"));
        }
        catch (StorageUnavailableException e)
        {
            return Unavailable(request, e);
        }
    }

    private async Task<(AccessToken? Token, ProblemHttpResult? Problem)> ValidateAsync(HttpRequest request)
    {
        var raw = BearerToken.Read(request, out var problem);
        if (raw is null)
        {
            return (null, problem);
        }

        var validation = await _validator.ValidateAsync(raw);
        return validation.Token is not null
            ? (validation.Token, null)
            : (null, BearerToken.InvalidToken(
                request.HttpContext.Response,
                validation.Rejection == TokenRejection.Expired ? "The access token expired." : "The access token is invalid."));
    }

    private ProblemHttpResult Unavailable(HttpRequest request, StorageUnavailableException e)
    {
        LogStorageUnavailable(_logger, request.Path, e);
        return Problems.StorageUnavailable(request.HttpContext.Response);
    }

    // Every answer here is about credentials or tokens: no cache may keep it (RFC 6749 §5.1, OWASP REST).
    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    // Never log a username typed at login (it may be a mistyped password), a password or a token.
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered user {UserId}.")]
    private static partial void LogRegistered(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in.")]
    private static partial void LogLoggedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A login failed: unknown user or wrong password.")]
    private static partial void LogLoginFailed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged out; the token is revoked until it expires.")]
    private static partial void LogLoggedOut(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Table Storage is unavailable; answered 503 to {Path}.")]
    private static partial void LogStorageUnavailable(ILogger logger, PathString path, Exception exception);
}
