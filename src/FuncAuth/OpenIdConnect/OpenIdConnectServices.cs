using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.OpenIdConnect;

internal static class OpenIdConnectServices
{
    /// <summary>ID tokens, userinfo, the authorization_code grant's parts and the OAuth options.</summary>
    public static IServiceCollection AddFuncAuthOpenIdConnect(this IServiceCollection services, IConfiguration configuration)
    {
        // A single flag: any value that binds is valid, so there is nothing for a validator to refuse.
        services.AddOptions<OAuthOptions>().BindStrictly(configuration, OAuthOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton<IdTokens>();
        services.TryAddSingleton<UserInfoEndpoints>();
        services.TryAddSingleton<AuthorizationCodeGrant>();
        return services;
    }
}
