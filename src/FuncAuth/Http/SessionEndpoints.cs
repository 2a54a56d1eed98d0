using FuncAuth.Sessions;
using FuncAuth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>The caller's sessions: list them, end one. Only ever the caller's own: the user id comes from the token.</summary>
public sealed partial class SessionEndpoints
{
    private readonly BearerAuthentication _bearer;
    private readonly SessionService _sessions;
    private readonly ILogger<SessionEndpoints> _logger;

    internal SessionEndpoints(BearerAuthentication bearer, SessionService sessions, ILogger<SessionEndpoints> logger)
    {
        _bearer = bearer;
        _sessions = sessions;
        _logger = logger;
    }

    /// <summary><c>GET api/auth/sessions</c>: bearer token → 200 <see cref="SessionList"/>, newest first.</summary>
    public async Task<Results<Ok<SessionList>, ProblemHttpResult>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        try
        {
            var (token, problem) = await _bearer.AuthenticateAsync(request, cancellationToken);
            if (token is null)
            {
                return problem!;
            }

            var sessions = await _sessions.ListActiveAsync(token.Subject, cancellationToken);
            sessions.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
            return TypedResults.Ok(new SessionList([.. sessions.Select(s => new SessionSummary(
                s.Id, s.CreatedAt, s.LastUsedAt, s.UsableUntil, Current: s.Id == token.SessionId))]));
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary>
    /// <c>DELETE api/auth/sessions/{id}</c>: bearer token → 204, the session ended; 404 when the caller has no such
    /// session, exactly as for someone else's (that it exists is not the caller's to learn).
    /// </summary>
    public async Task<Results<NoContent, ProblemHttpResult>> EndAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        try
        {
            var (token, problem) = await _bearer.AuthenticateAsync(request, cancellationToken);
            if (token is null)
            {
                return problem!;
            }

            if (!SessionService.IsSessionId(id) || !await _sessions.EndAsync(token.Subject, id, cancellationToken))
            {
                return Problems.NotFound("You have no session with that id.");
            }

            return TypedResults.NoContent();
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        var sessions = endpoints.MapGroup(string.Empty).WithTags("Sessions");
        sessions.MapGet(FuncAuthRoutes.Sessions, (HttpRequest request, SessionEndpoints api, CancellationToken ct) =>
            api.ListAsync(request, ct)).WithName("listSessions")
            .WithSummary("List your sessions")
            .WithDescription("The caller's active sessions, newest first: id, when it began, when it was last refreshed, when it " +
                "ends unless it is used again, and whether it is the session of the token that asks.")
            .Produces<SessionList>()
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
        sessions.MapDelete(FuncAuthRoutes.Session, (HttpRequest request, string id, SessionEndpoints api, CancellationToken ct) =>
            api.EndAsync(request, id, ct)).WithName("endSession")
            .WithSummary("End one of your sessions")
            .WithDescription("Ends the caller's session with that id: its refresh token stops working and its access tokens fail " +
                "verify. 404 when the caller has no such session, whoever else might.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequiresBearerToken()
            .ProducesStorageUnavailable();
    }
}
