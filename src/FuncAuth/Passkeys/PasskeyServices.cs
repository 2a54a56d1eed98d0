using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Passkeys;

internal static class PasskeyServices
{
    /// <summary>Passkeys: the relying party's options, registration, the stored credentials and passwordless sign-in.</summary>
    public static IServiceCollection AddFuncAuthPasskeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<PasskeyRegistration>();
        services.TryAddSingleton<PasskeySignIn>();
        services.TryAddSingleton<PasskeyEndpoints>();
        return services;
    }
}
