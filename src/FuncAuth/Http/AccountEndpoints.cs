using FuncAuth.Accounts;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>
/// <c>register</c> and <c>login</c>: credentials in, an account or an access token out. Both hosts call these
/// handlers and nothing else: Kestrel through <see cref="Map"/>, Azure Functions through one thin
/// <c>[Function]</c> each.
/// </summary>
public sealed partial class AccountEndpoints
{
    private const string BearerTokenType = "Bearer";

    private readonly AccountService _accounts;
    private readonly TokenIssuer _issuer;
    private readonly ILogger<AccountEndpoints> _logger;

    internal AccountEndpoints(AccountService accounts, TokenIssuer issuer, ILogger<AccountEndpoints> logger)
    {
        _accounts = accounts;
        _issuer = issuer;
        _logger = logger;
    }

    /// <summary><c>POST api/auth/register</c>: JSON credentials → 201 <see cref="AccountCreated"/>.</summary>
    public async Task<Results<Created<AccountCreated>, ProblemHttpResult>> RegisterAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
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
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary><c>POST api/auth/login</c>: JSON or form credentials → 200 <see cref="AccessTokenResponse"/>.</summary>
    public async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<ProblemDetails>, ProblemHttpResult>> LoginAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
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
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup(string.Empty).WithTags("Accounts");
        accounts.MapPost(FuncAuthRoutes.Register, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.RegisterAsync(request, ct)).WithName("register");
        accounts.MapPost(FuncAuthRoutes.Login, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.LoginAsync(request, ct)).WithName("login");
    }

    // Never log a username typed at login (it may be a mistyped password), a password or a token.
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered user {UserId}.")]
    private static partial void LogRegistered(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in.")]
    private static partial void LogLoggedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A login failed: unknown user or wrong password.")]
    private static partial void LogLoginFailed(ILogger logger);
}
