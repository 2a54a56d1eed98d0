using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>health</c>, handing the request to the core's <see cref="HealthEndpoints"/>.</summary>
public sealed class HealthFunctions(HealthEndpoints endpoints)
{
    [Function("health")]
    public async Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Health)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.HealthAsync(request, cancellationToken);
}
