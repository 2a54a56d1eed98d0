using FuncAuth.Http.Pipeline;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// The caller's sessions: log out of this one or of all, list them, end one. Only ever the caller's own: the user id
/// comes from the token, which the runner has validated (a revoked one is refused there, so a stolen token cannot sign
/// the user out everywhere, and a second logout with the same token is 401: RFC 7009 revoke is the always-200 way).
/// </summary>
internal sealed class SessionEndpoints(SessionService sessions)
{
    private const string Tag = "Sessions";
    private const string GlobalScope = "global";
    private const string LocalScope = "local";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Logout, FuncAuthRoutes.Logout, "Tokens", (SessionEndpoints api, EndpointRequest request, CancellationToken ct) => api.LogoutAsync(request, ct)) with
        {
            Summary = "Log out of this session, or of every session",
            Description = "Ends the bearer token's session and answers 204: its refresh token stops working and its access tokens " +
                "fail verify as revoked. With scope=global it ends every session of the user and revokes every access token issued " +
                "before it (a login right after works). Refuses a token as verify does, a revoked one included (401, or 400 for a " +
                "malformed Authorization header or an unknown scope); 503 when storage fails.",
            RequiresBearerToken = true,
            Problems = [Status400BadRequest],
            Describe = builder => builder.WithQueryParameter("scope", "`local` (the default): this session; `global`: every session of the user."),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ListSessions, FuncAuthRoutes.Sessions, Tag, (SessionEndpoints api, EndpointRequest request, CancellationToken ct) => api.ListAsync(request, ct)) with
        {
            Summary = "List your sessions",
            Description = "The caller's active sessions, newest first: id, when it began, when it was last refreshed, when it " +
                "ends unless it is used again, and whether it is the session of the token that asks.",
            RequiresBearerToken = true,
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.EndSession, FuncAuthRoutes.Session, Tag, (SessionEndpoints api, EndpointRequest request, CancellationToken ct) => api.EndAsync(request, ct)) with
        {
            Summary = "End one of your sessions",
            Description = "Ends the caller's session with that id: its refresh token stops working and its access tokens fail " +
                "verify. 404 when the caller has no such session, whoever else might.",
            RequiresBearerToken = true,
            Problems = [Status404NotFound],
            Describe = builder => builder.WithRouteParameter("id", "The session's id, as the session list gives it."),
        },
    ];

    /// <summary>
    /// <c>POST api/auth/logout</c>: bearer token → 204. Ends the token's session (its refresh token and every access
    /// token of it); with <c>?scope=global</c>, every session of the user and every access token issued before now.
    /// </summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> LogoutAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var scope = request.Http.Query["scope"];
        var everywhere = scope.Count == 1 && scope[0] == GlobalScope;
        if (!everywhere && !(scope.Count == 0 || (scope.Count == 1 && scope[0] == LocalScope)))
        {
            return Problems.Invalid("scope", $"The scope must be \"{LocalScope}\" (this session, the default) or \"{GlobalScope}\" (every session).");
        }

        await sessions.LogOutAsync(request.Caller, everywhere, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary><c>GET api/auth/sessions</c>: bearer token → 200 <see cref="SessionList"/>, newest first.</summary>
    private async ValueTask<Ok<SessionList>> ListAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller;
        var active = await sessions.ListActiveAsync(caller.Subject, cancellationToken);
        active.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        return TypedResults.Ok(new SessionList([.. active.Select(s => new SessionSummary(
            s.Id, s.CreatedAt, s.LastUsedAt, s.UsableUntil, Current: s.Id == caller.SessionId))]));
    }

    /// <summary>
    /// <c>DELETE api/auth/sessions/{id}</c>: bearer token → 204, the session ended; 404 when the caller has no such
    /// session, exactly as for someone else's (that it exists is not the caller's to learn).
    /// </summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> EndAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValue("id");
        if (!SessionService.IsSessionId(id) || !await sessions.EndAsync(request.Caller.Subject, id!, cancellationToken))
        {
            return Problems.NotFound("You have no session with that id.");
        }

        return TypedResults.NoContent();
    }
}
