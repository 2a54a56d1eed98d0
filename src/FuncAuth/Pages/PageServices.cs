using FuncAuth.Accounts;
using FuncAuth.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Pages;

internal static class PageServices
{
    /// <summary>The pages FuncAuth serves itself.</summary>
    public static IServiceCollection AddFuncAuthPages(this IServiceCollection services)
    {
        services.TryAddSingleton<PageEndpoints>();
        services.TryAddSingleton<PageSubmissions>();

        // The flows the forms call belong to the email capability, which registers them (before this, in AddFuncAuth);
        // TryAdd only keeps the pages resolvable should it not.
        services.TryAddSingleton<EmailConfirmation>();
        services.TryAddSingleton<PasswordReset>();
        return services;
    }
}
