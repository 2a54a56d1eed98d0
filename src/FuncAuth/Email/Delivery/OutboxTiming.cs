namespace FuncAuth.Email.Delivery;

/// <summary>
/// The dispatcher's fixed timings (not settings: they follow from SMTP and storage, not from a deployment's needs).
/// Tests register their own, shorter ones.
/// </summary>
internal sealed record OutboxTiming
{
    /// <summary>The wait after a first failed attempt; it doubles with each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claim keeps other instances off a message. Longer than any send can take (<see cref="SendTimeout"/>),
    /// so two instances never send one message at once; a crashed claimer's message is sent by another after it.
    /// </summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The most one message may take: composing it, connecting, authenticating and sending.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How many due messages one round reads at a time.</summary>
    public int BatchSize { get; init; } = 50;
}
