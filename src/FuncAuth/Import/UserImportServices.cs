using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Import;

internal static class UserImportServices
{
    /// <summary>Importing users: the endpoint, and the password hash formats of other systems verified at next sign-in.</summary>
    public static IServiceCollection AddFuncAuthUserImport(this IServiceCollection services)
    {
        services.TryAddSingleton<UserImportEndpoints>();
        return services;
    }
}
