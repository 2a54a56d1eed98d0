using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class FuncAuthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every FuncAuth endpoint (accounts, tokens, OAuth, sessions, discovery, health and the OpenAPI document that
    /// describes them) onto any ASP.NET Core app, at the routes of <see cref="FuncAuth.Http.FuncAuthRoutes"/>: each one a
    /// route that hands the request to the same <see cref="FuncAuth.Http.EndpointRunner"/> the Functions app calls.
    /// </summary>
    public static IEndpointConventionBuilder MapFuncAuth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var funcAuth = endpoints.MapGroup(string.Empty);
        foreach (var endpoint in FuncAuthEndpoints.All)
        {
            EndpointMapping.Map(funcAuth, endpoint);
        }

        return funcAuth;
    }
}
