using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The OpenAPI document, handed over by the core's <see cref="OpenApiEndpoints"/>: the same bytes the Kestrel host
/// serves, generated in the core from the endpoints' metadata (functions are not minimal-API endpoints, so there is
/// nothing here to describe).
/// </summary>
public sealed class OpenApiFunctions(OpenApiEndpoints endpoints)
{
    [Function("openapi")]
    public async Task<IResult> Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.DocumentAsync(request, cancellationToken);
}
