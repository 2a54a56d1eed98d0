using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// Logout and the caller's sessions, each handed to the core's <see cref="EndpointRunner"/>; the <c>{id}</c>
/// segment of a route is bound by name and handed over with the request.
/// </summary>
public sealed class SessionFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Logout)]
    public Task<IResult> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Logout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Logout, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ListSessions)]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Sessions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ListSessions, request, cancellationToken);

    [Function(FuncAuthEndpointNames.EndSession)]
    public Task<IResult> End(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Session)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.EndSession, request, cancellationToken, ("id", id));
}
