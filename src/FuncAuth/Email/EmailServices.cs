using FuncAuth.Accounts;
using FuncAuth.Email.Delivery;
using FuncAuth.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Email;

internal static class EmailServices
{
    /// <summary>Confirmation, recovery and the messages they send (what each says is <see cref="EmailMessages"/>).</summary>
    public static IServiceCollection AddEmailAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<OneTimeTokens>();
        services.TryAddSingleton<RecipientQuota>();
        services.TryAddSingleton<EmailLinks>();
        services.TryAddSingleton<IOutboxComposer, EmailMessages>();
        services.TryAddSingleton<AccountMail>();
        services.TryAddSingleton<EmailConfirmation>();
        services.TryAddSingleton<PasswordReset>();
        services.AddHostedService<OneTimeTokensPurge>();
        services.TryAddSingleton<EmailEndpoints>();
        services.TryAddSingleton<PasswordRecoveryEndpoints>();
        return services;
    }
}
