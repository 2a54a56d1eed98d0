using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The OpenAPI document, handed to the core's <see cref="EndpointRunner"/>: the same bytes the Kestrel host serves,
/// generated in the core from the endpoints' declarations.
/// </summary>
public sealed class OpenApiFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.OpenApi)]
    public Task<IResult> Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.OpenApi, request, cancellationToken);
}
