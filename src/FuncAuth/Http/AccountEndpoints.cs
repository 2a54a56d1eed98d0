using FuncAuth.Accounts;
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
            .ProducesStorageUnavailable();
        accounts.MapPost(FuncAuthRoutes.Login, (HttpRequest request, AccountEndpoints api, CancellationToken ct) =>
            api.LoginAsync(request, ct)).WithName("login")
            .WithSummary("Log in for an access token")
            .WithDescription("Checks a username and password, as JSON or as a form like an OAuth 2.0 password request, and answers " +
                "with a signed access token (RFC 6749 §5.1). An unknown user and a wrong password get one and the same 401; " +
                "malformed input is refused with 400, a body over 8 KiB with 413, other media types with 415.")
            .Accepts<Credentials.CredentialsBody>(Credentials.JsonMediaType, Credentials.FormMediaType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithResponseHeader(StatusCodes.Status401Unauthorized, HeaderNames.WWWAuthenticate, "`Bearer`.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesStorageUnavailable();
    }

    // Never log a username typed at login (it may be a mistyped password), a password or a token.
    [LoggerMessage(Level = LogLevel.Information, Message = "Registered user {UserId}.")]
    private static partial void LogRegistered(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in.")]
    private static partial void LogLoggedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A login failed: unknown user or wrong password.")]
    private static partial void LogLoginFailed(ILogger logger);
}
