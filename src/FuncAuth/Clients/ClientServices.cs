using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Clients;

internal static class ClientServices
{
    /// <summary>The client registry, its options and their start-up validation.</summary>
    public static IServiceCollection AddFuncAuthClients(this IServiceCollection services, IConfiguration configuration) => services;
}
