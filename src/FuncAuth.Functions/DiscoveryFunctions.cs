using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The JWKS and the two metadata documents, each handing the request to the core's
/// <see cref="DiscoveryEndpoints"/>. With host.json's empty route prefix they sit at the site root.
/// </summary>
public sealed class DiscoveryFunctions(DiscoveryEndpoints endpoints)
{
    [Function("jwks")]
    public IResult JsonWebKeySet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.JsonWebKeySet)] HttpRequest request) =>
        endpoints.JsonWebKeySet(request);

    [Function("openid-configuration")]
    public IResult OpenIdConfiguration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.OpenIdConfiguration)] HttpRequest request) =>
        endpoints.Metadata(request);

    [Function("oauth-authorization-server")]
    public IResult AuthorizationServerMetadata(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.AuthorizationServerMetadata)] HttpRequest request) =>
        endpoints.Metadata(request);
}
