using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>Listing and ending the caller's sessions, each handing the request to the core's <see cref="SessionEndpoints"/>.</summary>
public sealed class SessionFunctions(SessionEndpoints endpoints)
{
    [Function("listSessions")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Sessions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.ListAsync(request, cancellationToken);

    /// <param name="id">The <c>{id}</c> segment of the route, bound by name.</param>
    [Function("endSession")]
    public async Task<IResult> End(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Session)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await endpoints.EndAsync(request, id, cancellationToken);
}
