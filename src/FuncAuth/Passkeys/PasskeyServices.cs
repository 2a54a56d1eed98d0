using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Passkeys;

internal static class PasskeyServices
{
    /// <summary>Passkeys: the relying party's options, registration, the stored credentials and passwordless sign-in.</summary>
    public static IServiceCollection AddFuncAuthPasskeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasskeyOptions>().BindStrictly(configuration, PasskeyOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasskeyOptions>, PasskeyOptionsValidator>());
        services.TryAddSingleton<PasskeyRelyingParty>();
        services.TryAddSingleton<PasskeyChallenges>();
        services.TryAddSingleton<PasskeyStore>();
        services.TryAddSingleton<PasskeyRegistration>();
        services.TryAddSingleton<PasskeySignIn>();
        services.TryAddSingleton<PasskeyEndpoints>();
        return services;
    }
}
