using MimeKit;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// The MIME message for an outbox row. MimeKit writes every header itself (encoding and folding the values), so a CR or
/// LF in any value (a username in a subject, a display name) stays inside its header: nothing a user supplies can add a
/// header or a recipient. The recipient is checked to be a plain address besides, so the envelope and the To header
/// carry exactly that address.
/// </summary>
internal static class OutboxMail
{
    public static MimeMessage Build(string id, string recipient, EmailContent content, string from, string fromName, DateTimeOffset now)
    {
        if (!TryParsePlain(recipient, out var to))
        {
            throw new ArgumentException("The recipient is not a plain address.", nameof(recipient));
        }

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

    /// <summary>A bare addr-spec (<c>user@example.com</c>): no display name, no angle brackets, no comment, no CR/LF.</summary>
    public static bool IsPlainAddress(string? value) => TryParsePlain(value, out _);

    private static bool TryParsePlain(string? value, out MailboxAddress address)
    {
        address = null!;
        if (string.IsNullOrEmpty(value) || value.Length > 254 || value.Any(char.IsControl) || value.Contains('<', StringComparison.Ordinal))
        {
            return false;
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, value, out var parsed)
            || !string.IsNullOrEmpty(parsed.Name)
            // MimeKit shows an internationalised domain decoded (bücher.example for xn--bcher-kva.example): compare encoded.
            || !string.Equals(MailboxAddress.EncodeAddrspec(parsed.Address), value, StringComparison.OrdinalIgnoreCase)
            || !parsed.Address.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
