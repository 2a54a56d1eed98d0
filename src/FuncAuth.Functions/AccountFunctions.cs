using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// Account endpoints: register, login, password change, the caller's profile, account deletion. Each hands the request to the core's
/// <see cref="EndpointRunner"/>; routes come from <see cref="FuncAuthRoutes"/> (host.json sets an empty route
/// prefix), so they are the Kestrel host's to the letter. Anonymous at the platform: FuncAuth authenticates callers
/// itself.
/// </summary>
public sealed class AccountFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Register)]
    public Task<IResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Register)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Register, request, cancellationToken);

    [Function(FuncAuthEndpointNames.Login)]
    public Task<IResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Login)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Login, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ChangePassword)]
    public Task<IResult> ChangePassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Password)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ChangePassword, request, cancellationToken);

    [Function(FuncAuthEndpointNames.GetAccount)]
    public Task<IResult> GetAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Account)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.GetAccount, request, cancellationToken);

    [Function(FuncAuthEndpointNames.DeleteAccount)]
    public Task<IResult> DeleteAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Account)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.DeleteAccount, request, cancellationToken);
}
