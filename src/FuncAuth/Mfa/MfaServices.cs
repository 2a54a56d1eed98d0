using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Mfa;

internal static class MfaServices
{
    /// <summary>TOTP and recovery codes: enrolment, the second step of sign-in, and the encryption of TOTP secrets.</summary>
    public static IServiceCollection AddFuncAuthMfa(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<SecondFactorSignIn>();
        services.TryAddSingleton<TotpEnrolment>();
        services.TryAddSingleton<TotpEndpoints>();
        return services;
    }
}
