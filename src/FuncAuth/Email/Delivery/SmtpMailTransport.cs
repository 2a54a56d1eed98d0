using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// Sends through the configured SMTP relay with MailKit: one connection per message (the volume of an auth service's
/// mail is small, and a connection never outlives the message whose claim it serves).
/// </summary>
internal sealed class SmtpMailTransport(IOptions<EmailOptions> options, OutboxTiming timing) : IMailTransport
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = (int)timing.SendTimeout.TotalMilliseconds };

        // StartTls requires the upgrade (a relay that does not offer STARTTLS is refused, never used in the clear);
        // None is accepted in Development only (the options validator refuses it elsewhere).
        var security = smtp.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        var host = smtp.Host ?? throw new InvalidOperationException($"{EmailOptions.SectionName}:Smtp:Host is not set.");
        await client.ConnectAsync(host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
