namespace FuncAuth.Email;

/// <summary>Email: how messages are sent and what their links and limits are: <c>FuncAuth:Email</c>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "FuncAuth:Email";

    /// <summary>The sender's address (an RFC 5321 mailbox).</summary>
    public string? From { get; set; }

    /// <summary>The sender's display name; defaults to <see cref="ProductName"/>.</summary>
    public string? FromName { get; set; }

    /// <summary>The name the messages call the service by ("Your Contoso password was changed").</summary>
    public string ProductName { get; set; } = "FuncAuth";

    /// <summary>
    /// The page a confirmation link opens; the token is appended in the URL's fragment (<c>#token=…</c>), which browsers
    /// never send to a server. Default: the page FuncAuth serves at <c>auth/confirm-email</c> under <see cref="PublicBaseUrl"/>.
    /// </summary>
    public Uri? ConfirmEmailUrl { get; set; }

    /// <summary>The page a reset link opens, as <see cref="ConfirmEmailUrl"/>; default <c>auth/reset-password</c>.</summary>
    public Uri? ResetPasswordUrl { get; set; }

    /// <summary>Where FuncAuth's own pages are reached from a mail reader (https, no query or fragment); default the token issuer.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public TimeSpan ResetTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan ConfirmationTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Messages a recipient address may be sent per hour by requests anyone can make (forgot, resend, email change).</summary>
    public int MaxMessagesPerAddressPerHour { get; set; } = 5;

    /// <summary>Whether a sign-in sends a notice to the account's confirmed address (off by default).</summary>
    public bool SignInNotice { get; set; }

    /// <summary>How long the outbox keeps trying before a message is reported as undeliverable (a critical security event).</summary>
    public TimeSpan DeliveryDeadline { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each instance looks for messages due (a request that writes one also wakes its own instance at once).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The SMTP relay: <c>FuncAuth:Email:Smtp</c>. No host: outside Development, email is not configured.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? Username { get; set; }

    /// <summary>A Key Vault reference in Azure; never logged.</summary>
    public string? Password { get; set; }
}

public enum SmtpSecurity
{
    /// <summary>Plain SMTP upgraded with STARTTLS (port 587); the upgrade is required.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS at all: Development only (a local test server).</summary>
    None,
}
