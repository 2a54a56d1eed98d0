using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Email;

internal static class EmailServices
{
    /// <summary>Addresses, confirmation, recovery and the messages they send.</summary>
    public static IServiceCollection AddEmailAccounts(this IServiceCollection services, IConfiguration configuration) => services;
}
