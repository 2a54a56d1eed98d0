using MimeKit;

namespace FuncAuth.Email.Delivery;

/// <summary>Hands a message over for delivery: an SMTP relay, or a file in Development. Throws when it could not.</summary>
internal interface IMailTransport
{
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
