using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>health</c>, handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class HealthFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Health)]
    public Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Health, request, cancellationToken);
}
