using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Authorization;

internal static class AuthorizationServices
{
    /// <summary>The authorization endpoint and its codes.</summary>
    public static IServiceCollection AddFuncAuthAuthorization(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<AuthorizationEndpoints>();
        services.TryAddSingleton<AuthorizationCodes>();
        return services;
    }
}
