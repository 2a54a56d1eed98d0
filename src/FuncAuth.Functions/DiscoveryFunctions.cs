using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The JWKS and the two metadata documents, each handed to the core's <see cref="EndpointRunner"/>. With
/// host.json's empty route prefix they sit at the site root.
/// </summary>
public sealed class DiscoveryFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.JsonWebKeySet)]
    public Task<IResult> JsonWebKeySet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.JsonWebKeySet)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.JsonWebKeySet, request, cancellationToken);

    [Function(FuncAuthEndpointNames.OpenIdConfiguration)]
    public Task<IResult> OpenIdConfiguration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.OpenIdConfiguration)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.OpenIdConfiguration, request, cancellationToken);

    [Function(FuncAuthEndpointNames.AuthorizationServerMetadata)]
    public Task<IResult> AuthorizationServerMetadata(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.AuthorizationServerMetadata)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.AuthorizationServerMetadata, request, cancellationToken);
}
