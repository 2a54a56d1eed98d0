using FuncAuth.Storage;

namespace FuncAuth.Email.Delivery;

/// <summary>The outbox: a message written here is sent by a dispatcher, at least once, even across restarts.</summary>
internal sealed class EmailOutbox(OutboxStore store, DispatchSignal signal, TimeProvider time)
{
    /// <summary>Writes the message to the outbox table (the request never waits on SMTP) and wakes this instance's dispatcher.</summary>
    /// <exception cref="StorageUnavailableException">The outbox table could not be written; the request answers 503.</exception>
    /// <exception cref="ArgumentException">The recipient is not a plain address (a caller's bug: addresses are validated first).</exception>
    public async Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!OutboxMail.IsPlainAddress(message.Recipient))
        {
            // Never quoted: it may be anything a client sent.
            throw new ArgumentException("The recipient must be a plain address (no display name, no CR/LF).", nameof(message));
        }

        var now = time.GetUtcNow();

        // Fresh for every message, and ordered by time: the dispatcher reads the oldest first.
        var id = Guid.CreateVersion7(now).ToString("N");
        await store.AddAsync(id, message, now, cancellationToken);
        signal.Wake();
    }
}
