using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// One HTTP-triggered function per FuncAuth endpoint, each handing the request to the core's handler.
/// Routes come from <see cref="FuncAuthRoutes"/> (host.json sets an empty route prefix), so they are the
/// Kestrel host's routes to the letter. Anonymous: FuncAuth authenticates callers itself.
/// </summary>
public sealed class AuthFunctions(FuncAuthHandlers handlers)
{
    [Function("register")]
    public async Task<IResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Register)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await handlers.RegisterAsync(request, cancellationToken);

    [Function("login")]
    public async Task<IResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Login)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await handlers.LoginAsync(request, cancellationToken);

    [Function("verify")]
    public async Task<IResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = FuncAuthRoutes.Verify)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await handlers.VerifyAsync(request, cancellationToken);

    [Function("logout")]
    public async Task<IResult> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Logout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await handlers.LogoutAsync(request, cancellationToken);

    [Function("health")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await handlers.HealthAsync(request, cancellationToken);
}
