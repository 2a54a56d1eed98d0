using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Import;

internal static class UserImportServices
{
    /// <summary>Importing users: the endpoint and the importer (the hash formats of other systems are the password hasher's).</summary>
    public static IServiceCollection AddFuncAuthUserImport(this IServiceCollection services)
    {
        services.TryAddSingleton<UserImporter>();
        services.TryAddSingleton<UserImportEndpoints>();
        return services;
    }
}
