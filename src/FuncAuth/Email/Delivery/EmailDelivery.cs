using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email.Delivery;

/// <summary>Whether this app can send email at all, and how: through SMTP, or (Development, no SMTP) as .eml files.</summary>
internal sealed class EmailDelivery(IOptions<EmailOptions> options, IHostEnvironment environment)
{
    /// <summary>The sender when none is configured: only in Development, where messages go to files and are never sent.</summary>
    public const string DevelopmentFrom = "funcauth@localhost";

    /// <summary>True when <c>FuncAuth:Email:Smtp:Host</c> is set, or in Development (messages then go to .eml files).</summary>
    public bool IsConfigured => UsesSmtp || environment.IsDevelopment();

    /// <summary>Messages go to the SMTP relay.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(options.Value.Smtp.Host);

    /// <summary>Messages are written to the local data folder instead of being sent (Development without SMTP).</summary>
    public bool UsesPickupFolder => !UsesSmtp && environment.IsDevelopment();
}
