using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The hosted sign-in's second step and passkey button, and the account page, each handed to the core's
/// <see cref="EndpointRunner"/>.
/// </summary>
public sealed class AccountPageFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.SecondFactorPageSubmit)]
    public Task<IResult> SecondFactorPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.SecondFactorPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.SecondFactorPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.PasskeyLoginPageSubmit)]
    public Task<IResult> PasskeyLoginPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.PasskeyLoginPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PasskeyLoginPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.AccountPage)]
    public Task<IResult> AccountPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.AccountPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.AccountPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.AccountPageSubmit)]
    public Task<IResult> AccountPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.AccountPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.AccountPageSubmit, request, cancellationToken);
}
