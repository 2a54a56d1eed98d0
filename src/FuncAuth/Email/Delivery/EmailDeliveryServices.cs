using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email.Delivery;

internal static class EmailDeliveryServices
{
    /// <summary>The outbox, its dispatcher and the transport (SMTP, or .eml files in Development).</summary>
    public static IServiceCollection AddEmailDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        // The nested FuncAuth:Email:Smtp values are checked first (strict binding checks a section's own values only), so an
        // unreadable port stops start-up naming the setting, never quoting a value (the password is one).
        services.AddOptions<EmailOptions>()
            .Configure(_ => ThrowIfUnreadable(configuration.GetSection($"{EmailOptions.SectionName}:Smtp")))
            .BindStrictly(configuration, EmailOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());

        services.TryAddSingleton<OutboxTiming>();
        services.TryAddSingleton<DispatchSignal>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<EmailOutbox>();
        services.TryAddSingleton<EmailDelivery>();
        services.TryAddSingleton<IMailTransport>(sp => sp.GetRequiredService<EmailDelivery>().UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupFolderTransport>(sp, configuration));

        // Registered everywhere; it returns at once where email is not configured.
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }

    private static void ThrowIfUnreadable(IConfigurationSection smtp)
    {
        var failures = new List<string>();
        if (!IsReadable<int>(smtp, nameof(SmtpOptions.Port)))
        {
            failures.Add($"{smtp.Path}:{nameof(SmtpOptions.Port)} must be a whole number.");
        }

        if (!IsReadable<SmtpSecurity>(smtp, nameof(SmtpOptions.Security)))
        {
            failures.Add($"{smtp.Path}:{nameof(SmtpOptions.Security)} must be StartTls, SslOnConnect or None (None in Development only).");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EmailOptions), failures);
        }
    }

    private static bool IsReadable<T>(IConfiguration section, string key)
    {
        try
        {
            section.GetValue<T>(key);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
