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
