using FuncAuth.Revocation;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>
/// <c>verify</c> and <c>logout</c>: a bearer token in, its claims or its revocation out; every refusal is a
/// 401 with an RFC 6750 challenge that says which kind.
/// </summary>
public sealed partial class TokenEndpoints
{
    private const string BearerTokenType = "Bearer";

    private readonly AccessTokenValidator _validator;
    private readonly Revocations _revocations;
    private readonly ILogger<TokenEndpoints> _logger;

    internal TokenEndpoints(AccessTokenValidator validator, Revocations revocations, ILogger<TokenEndpoints> logger)
    {
        _validator = validator;
        _revocations = revocations;
        _logger = logger;
    }

    /// <summary><c>GET|POST api/auth/verify</c>: bearer token → 200 <see cref="TokenIntrospection"/>, or 401 with an RFC 6750 challenge.</summary>
    public async Task<Results<Ok<TokenIntrospection>, ProblemHttpResult>> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        ResponseHeaders.NoStore(response);
        var (token, problem) = Validate(request);
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
            // Fail closed: without a current revocation list a logged-out token must not pass.
            return Problems.StorageUnavailable(request, _logger, e);
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
        ResponseHeaders.NoStore(request.HttpContext.Response);
        var (token, problem) = Validate(request);
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
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        var tokens = endpoints.MapGroup(string.Empty).WithTags("Tokens");
        tokens.MapMethods(FuncAuthRoutes.Verify, [HttpMethods.Get, HttpMethods.Post], (HttpRequest request, TokenEndpoints api, CancellationToken ct) =>
            api.VerifyAsync(request, ct)).WithName("verify")
            .WithSummary("Check an access token")
            .WithDescription("Checks the bearer token's signature, claims and revocation and answers with its claims, in the style of " +
                "RFC 7662 introspection. A missing, expired, revoked or invalid token is refused with 401 and an RFC 6750 challenge, " +
                "a malformed Authorization header with 400; 503 when the revocation list cannot be read (it fails closed).")
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
        tokens.MapPost(FuncAuthRoutes.Logout, (HttpRequest request, TokenEndpoints api, CancellationToken ct) =>
            api.LogoutAsync(request, ct)).WithName("logout")
            .WithSummary("Revoke an access token")
            .WithDescription("Revokes the bearer token until it expires and answers 204; logging out twice is fine. Refuses a token " +
                "as verify does (401, or 400 for a malformed Authorization header); 503 when the revocation cannot be stored.")
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
    }

    private (AccessToken? Token, ProblemHttpResult? Problem) Validate(HttpRequest request)
    {
        if (!BearerToken.TryRead(request, out var raw, out var problem))
        {
            return (null, problem);
        }

        var validation = _validator.Validate(raw.Span);
        return validation.Token is not null
            ? (validation.Token, null)
            : (null, BearerToken.InvalidToken(
                request.HttpContext.Response,
                validation.Rejection == TokenRejection.Expired ? "The access token expired." : "The access token is invalid."));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged out; the token is revoked until it expires.")]
    private static partial void LogLoggedOut(ILogger logger, string userId);
}
