using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// Email endpoints: address change, confirmation, resending a confirmation. Each hands the request to the core's
/// <see cref="EndpointRunner"/>; routes come from <see cref="FuncAuthRoutes"/>.
/// </summary>
public sealed class EmailFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.ChangeEmail)]
    public Task<IResult> ChangeEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Email)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ChangeEmail, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ConfirmEmail)]
    public Task<IResult> ConfirmEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ConfirmEmail)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ConfirmEmail, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ResendConfirmation)]
    public Task<IResult> ResendConfirmation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ResendConfirmation)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ResendConfirmation, request, cancellationToken);
}
