using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// <c>register</c>, <c>login</c>, <c>password</c> and account deletion, each handing the request to the core's <see cref="AccountEndpoints"/>.
/// Routes come from <see cref="FuncAuthRoutes"/> (host.json sets an empty route prefix), so they are the
/// Kestrel host's routes to the letter. Anonymous: FuncAuth authenticates callers itself.
/// </summary>
public sealed class AccountFunctions(AccountEndpoints endpoints)
{
    [Function("register")]
    public async Task<IResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Register)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.RegisterAsync(request, cancellationToken);

    [Function("login")]
    public async Task<IResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Login)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.LoginAsync(request, cancellationToken);

    [Function("changePassword")]
    public async Task<IResult> ChangePassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Password)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.ChangePasswordAsync(request, cancellationToken);

    [Function("deleteAccount")]
    public async Task<IResult> DeleteAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Account)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.DeleteAccountAsync(request, cancellationToken);
}
