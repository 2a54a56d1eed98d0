using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>verify</c>, handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class VerifyFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Verify)]
    public Task<IResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = FuncAuthRoutes.Verify)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Verify, request, cancellationToken);
}
