using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Clients;

internal static class ClientServices
{
    /// <summary>The client registry, its options and their start-up validation.</summary>
    public static IServiceCollection AddFuncAuthClients(this IServiceCollection services, IConfiguration configuration)
    {
        // FuncAuth:Clients is itself the array (FuncAuth:Clients:0:ClientId), as Bicep writes app settings.
        services.AddOptions<ClientOptions>()
            .BindListStrictly(configuration, ClientOptions.SectionName, o => o.Clients, (client, path) => client.SettingPath = path)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientOptions>, ClientOptionsValidator>());
        services.TryAddSingleton<ClientRegistry>();
        services.TryAddSingleton<ClientAuthentication>();
        services.TryAddSingleton<ClientCredentialsGrant>();
        return services;
    }
}
