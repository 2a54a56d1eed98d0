using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>token</c> and <c>revoke</c>, each handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class OAuthFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Token)]
    public Task<IResult> Token(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Token)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Token, request, cancellationToken);

    [Function(FuncAuthEndpointNames.Revoke)]
    public Task<IResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Revoke)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Revoke, request, cancellationToken);
}
