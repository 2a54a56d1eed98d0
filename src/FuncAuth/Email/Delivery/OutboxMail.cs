using MimeKit;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// The MIME message for an outbox row. MimeKit writes every header itself (encoding and folding the values), so a CR or
/// LF in any value (a username in a subject, a display name) stays inside its header: nothing a user supplies can add a
/// header or a recipient. The recipient is checked to be a plain address besides, so the envelope and the To header
/// carry exactly that address (<see cref="IsPlainAddress"/>, checked before a message is queued and again before it is sent).
/// </summary>
internal static class OutboxMail
{
    /// <summary>The message for a recipient that <see cref="IsPlainAddress"/> accepted (the outbox and its dispatcher check).</summary>
    public static MimeMessage Build(string id, string recipient, EmailContent content, string from, string fromName, DateTimeOffset now)
    {
        var to = new MailboxAddress(string.Empty, recipient);
        var sender = new MailboxAddress(fromName, from);
        var message = new MimeMessage();
        message.From.Add(sender);
        message.To.Add(to);
        message.Subject = content.Subject;
        message.Date = now;

        // One Message-Id per outbox row: a message sent twice (delivery is at least once) can be recognised as one.
        message.MessageId = $"{id}@{sender.Domain}";

        // RFC 3834: machine-sent, so auto-responders (out-of-office replies) stay quiet.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
        return message;
    }

    /// <summary>
    /// An address as FuncAuth stores and sends to it: what <see cref="EmailAddress"/> makes of itself (a bare addr-spec,
    /// its domain in ASCII form; no display name, comment or CR/LF). One rule for the whole service.
    /// </summary>
    public static bool IsPlainAddress(string? value) =>
        EmailAddress.TryCreate(value, out var address, out _) && string.Equals(address.Value, value, StringComparison.Ordinal);
}
