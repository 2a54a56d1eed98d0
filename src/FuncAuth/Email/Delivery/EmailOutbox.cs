namespace FuncAuth.Email.Delivery;

/// <summary>The outbox: a message written here is sent by a dispatcher, at least once, even across restarts.</summary>
internal sealed class EmailOutbox
{
    /// <summary>Writes the message to the outbox table (the request never waits on SMTP) and wakes this instance's dispatcher.</summary>
    public Task EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
