using FuncAuth.Accounts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

internal static class EmailAddressServices
{
    /// <summary>Email addresses on accounts: <c>FuncAuth:Accounts</c> and the table that keeps each address to one account.</summary>
    public static IServiceCollection AddEmailAddresses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().BindStrictly(configuration, AccountOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccountOptions>, AccountOptionsValidator>());
        services.TryAddSingleton<EmailAddressStore>();
        return services;
    }
}
