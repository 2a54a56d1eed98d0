using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.SingleSignOn;

internal static class SingleSignOnServices
{
    /// <summary>Browser sessions, the hosted sign-in pages and end-session.</summary>
    public static IServiceCollection AddFuncAuthSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<BrowserSessions>();
        services.TryAddSingleton<PageCsrf>();
        services.TryAddSingleton<SignOutEndpoints>();

        // end-session checks post-logout redirects against the registered clients; the clients capability registers
        // the registry (before this), TryAdd only keeps end-session resolvable should it not.
        services.TryAddSingleton<Clients.ClientRegistry>();
        services.TryAddSingleton<SignInPageFlow>();
        services.TryAddSingleton<SignInPageEndpoints>();
        services.TryAddSingleton<SignInStepPageEndpoints>();
        services.TryAddSingleton<AccountPageEndpoints>();
        return services;
    }
}
