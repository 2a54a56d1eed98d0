using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Mfa;

internal static class MfaServices
{
    /// <summary>TOTP and recovery codes: enrolment, the second step of sign-in, and the encryption of TOTP secrets.</summary>
    public static IServiceCollection AddFuncAuthMfa(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MfaOptions>().BindStrictly(configuration, MfaOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MfaOptions>, MfaOptionsValidator>());
        services.TryAddSingleton<EncryptionKeyRing>();
        services.TryAddSingleton<TotpStore>();
        services.TryAddSingleton<RecoveryCodes>();
        services.TryAddSingleton<MfaTokens>();
        services.TryAddSingleton<SecondFactorCheck>();
        services.TryAddSingleton<SecondFactorSignIn>();
        services.TryAddSingleton<TotpEnrolment>();
        services.TryAddSingleton<TotpEndpoints>();
        services.TryAddSingleton<MfaGrant>();
        return services;
    }
}
