using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>The admin API (users, their roles, sessions and lockout, and importing them), each handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class AdminFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.ListUsers)]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.AdminUsers)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ListUsers, request, cancellationToken);

    [Function(FuncAuthEndpointNames.GetUser)]
    public Task<IResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.AdminUser)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.GetUser, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.UpdateUser)]
    public Task<IResult> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = FuncAuthRoutes.AdminUser)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.UpdateUser, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.DeleteUser)]
    public Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.AdminUser)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.DeleteUser, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.EndUserSessions)]
    public Task<IResult> EndSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.AdminUserSessions)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.EndUserSessions, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.UnlockUser)]
    public Task<IResult> Unlock(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.AdminUserUnlock)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.UnlockUser, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.ImportUsers)]
    public Task<IResult> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.AdminUserImport)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ImportUsers, request, cancellationToken);
}
