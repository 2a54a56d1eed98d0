using FuncAuth.Revocation;
using FuncAuth.Security;
using FuncAuth.Sessions;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>
/// <c>verify</c> and <c>logout</c>: a bearer token in, its claims or the end of its session out; every refusal is
/// a 401 with an RFC 6750 challenge that says which kind.
/// </summary>
public sealed partial class TokenEndpoints
{
    private const string GlobalScope = "global";
    private const string LocalScope = "local";

    private readonly BearerAuthentication _bearer;
    private readonly Revocations _revocations;
    private readonly SessionService _sessions;
    private readonly ILogger<TokenEndpoints> _logger;

    internal TokenEndpoints(BearerAuthentication bearer, Revocations revocations, SessionService sessions, ILogger<TokenEndpoints> logger)
    {
        _bearer = bearer;
        _revocations = revocations;
        _sessions = sessions;
        _logger = logger;
    }

    /// <summary><c>GET|POST api/auth/verify</c>: bearer token → 200 <see cref="TokenIntrospection"/>, or 401 with an RFC 6750 challenge.</summary>
    public async Task<Results<IntrospectionResult, ProblemHttpResult>> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.HttpContext.Response;
        ResponseHeaders.NoStore(response);
        var (token, problem) = _bearer.Validate(request);
        if (token is null)
        {
            return problem!;
        }

        try
        {
            if (await _revocations.IsRevokedAsync(token, cancellationToken))
            {
                return BearerAuthentication.Revoked(response);
            }
        }
        catch (StorageUnavailableException e)
        {
            // Fail closed: without a current revocation list a logged-out token must not pass.
            return Problems.StorageUnavailable(request, _logger, e);
        }

        return IntrospectionResult.For(token);
    }

    /// <summary>
    /// <c>POST api/auth/logout</c>: bearer token → 204. Ends the token's session (its refresh token and every access
    /// token of it); with <c>?scope=global</c>, every session of the user and every access token issued before now.
    /// </summary>
    public async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        var scope = request.Query["scope"];
        var everywhere = scope.Count == 1 && scope[0] == GlobalScope;
        if (!everywhere && !(scope.Count == 0 || (scope.Count == 1 && scope[0] == LocalScope)))
        {
            return Problems.Invalid("scope", $"The scope must be \"{LocalScope}\" (this session, the default) or \"{GlobalScope}\" (every session).");
        }

        try
        {
            // A revoked token is refused here as everywhere (401 "revoked"): it has nothing left to end, and a stolen one
            // must not sign the user out everywhere. A client whose logout answer was lost and who retries gets that 401:
            // the session is over either way. (RFC 7009 revoke is the endpoint that answers 200 to any token.)
            var (token, problem) = await _bearer.AuthenticateAsync(request, cancellationToken);
            if (token is null)
            {
                return problem!;
            }

            await _sessions.LogOutAsync(token, everywhere, cancellationToken);
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
        // Verify is the hot path: a handler with a service parameter makes every request open (and dispose) a DI scope
        // to fetch a singleton. This one takes none; the endpoints object comes from the root provider, once.
        var services = endpoints.ServiceProvider;
        TokenEndpoints? verify = null;
        tokens.MapMethods(FuncAuthRoutes.Verify, [HttpMethods.Get, HttpMethods.Post], (HttpRequest request, CancellationToken ct) =>
            (verify ??= services.GetRequiredService<TokenEndpoints>()).VerifyAsync(request, ct)).WithName("verify")
            .WithSummary("Check an access token")
            .WithDescription("Checks the bearer token's signature, claims and revocation and answers with its claims, in the style of " +
                "RFC 7662 introspection. A missing, expired, revoked or invalid token is refused with 401 and an RFC 6750 challenge, " +
                "a malformed Authorization header with 400; 503 when the revocation list cannot be read (it fails closed).")
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
        tokens.MapPost(FuncAuthRoutes.Logout, (HttpRequest request, TokenEndpoints api, CancellationToken ct) =>
            api.LogoutAsync(request, ct)).WithName("logout")
            .WithSummary("Log out of this session, or of every session")
            .WithDescription("Ends the bearer token's session and answers 204: its refresh token stops working and its access tokens " +
                "fail verify as revoked. With scope=global it ends every session of the user and revokes every access token issued " +
                "before it (a login right after works). Refuses a token as verify does, a revoked one included (401, or 400 for a " +
                "malformed Authorization header or an unknown scope); 503 when storage fails.")
            .WithQueryParameter("scope", "`local` (the default): this session; `global`: every session of the user.")
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
    }

}
