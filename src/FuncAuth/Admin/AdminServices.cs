using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Admin;

internal static class AdminServices
{
    /// <summary>Administration: its options, who may administer, the first administrators, and the admin API.</summary>
    public static IServiceCollection AddFuncAuthAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdminOptions>().BindStrictly(configuration, AdminOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.TryAddSingleton<AdminAuthorization>();
        services.TryAddSingleton<AdminBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminBootstrap>());
        services.TryAddSingleton<UserAdministration>();
        services.TryAddSingleton<AdminUserEndpoints>();
        return services;
    }
}
