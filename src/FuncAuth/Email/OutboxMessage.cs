namespace FuncAuth.Email;

/// <summary>
/// A message to send, as the outbox holds it: what kind it is, to whom, and the facts its text needs. Never a secret:
/// a message that carries a link has its token made when it is sent (see <see cref="IOutboxComposer"/>), so nothing a
/// table reader sees can be used.
/// </summary>
internal sealed record OutboxMessage(string Kind, string Recipient, IReadOnlyDictionary<string, string> Data);

/// <summary>What a message says: the subject, a plain-text body and an HTML body (already escaped).</summary>
internal sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>
/// Turns an outbox message into what is sent, at the time it is sent (minting any token then); null when there is nothing
/// to send any more (the address belongs to no account, the account is gone): the message is then dropped.
/// </summary>
internal interface IOutboxComposer
{
    Task<EmailContent?> ComposeAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>The kinds of message, and the keys of their <see cref="OutboxMessage.Data"/>.</summary>
internal static class OutboxKinds
{
    /// <summary>A new account's address: Data <c>userKey</c>, <c>userId</c>.</summary>
    public const string ConfirmEmail = "confirm-email";

    /// <summary>Anyone asked to resend a confirmation to an address: resolved to an account when sent (or dropped).</summary>
    public const string ResendConfirmation = "resend-confirmation";

    /// <summary>An address change, to the new address: Data <c>userKey</c>, <c>userId</c>.</summary>
    public const string ConfirmEmailChange = "confirm-email-change";

    /// <summary>To the old address: a change to another address was asked for (no secret, no new address in full).</summary>
    public const string EmailChangeRequested = "email-change-requested";

    /// <summary>Anyone asked to reset the password of the account holding an address: resolved when sent (or dropped).</summary>
    public const string ResetPassword = "reset-password";

    public const string PasswordChanged = "password-changed";

    public const string PasswordReset = "password-reset";

    public const string SignInNotice = "sign-in";

    /// <summary>A recovery code signed in (always sent, unlike the sign-in notice): Data <c>at</c>, <c>remaining</c>.</summary>
    public const string RecoveryCodeUsed = "recovery-code-used";
}
