using FuncAuth.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class FuncAuthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the FuncAuth endpoints, at the routes of <see cref="FuncAuthRoutes"/>, onto any ASP.NET Core app:
    /// accounts, tokens, OAuth, sessions, discovery and health, each capability from its own endpoints class, and the OpenAPI
    /// document that describes them.
    /// </summary>
    public static IEndpointConventionBuilder MapFuncAuth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var funcAuth = endpoints.MapGroup(string.Empty);
        AccountEndpoints.Map(funcAuth);
        TokenEndpoints.Map(funcAuth);
        OAuthEndpoints.Map(funcAuth);
        SessionEndpoints.Map(funcAuth);
        DiscoveryEndpoints.Map(funcAuth);
        HealthEndpoints.Map(funcAuth);
        OpenApiEndpoints.Map(funcAuth);
        return funcAuth;
    }
}
