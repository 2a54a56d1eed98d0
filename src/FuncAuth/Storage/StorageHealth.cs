namespace FuncAuth.Storage;

/// <summary>
/// What <c>GET api/health</c> answers from: the outcome of one <see cref="FuncAuthTables.ProbeAsync"/> round (a read
/// of every table), kept for <see cref="Interval"/>. The endpoint is public and unthrottled, so without this every
/// request would cost four billed table reads: now an instance runs at most one round per interval, however many
/// requests arrive. A failure is kept too, so an outage is not hammered by probes; concurrent callers share the
/// round in flight, which runs under no caller's cancellation (one client hanging up cannot fail it for the others).
/// </summary>
internal sealed class StorageHealth(Func<CancellationToken, Task> probe, TimeProvider time)
{
    /// <summary>How long an outcome stands: an outage (or a recovery) shows within this much time plus one round.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private Task? _round;
    private long _roundEndedAt;

    /// <summary>Completes when storage answered the current round; throws <see cref="StorageUnavailableException"/> when not.</summary>
    public Task CheckAsync(CancellationToken cancellationToken)
    {
        Task round;
        lock (_gate)
        {
            if (_round is null || (_round.IsCompleted && time.GetElapsedTime(Interlocked.Read(ref _roundEndedAt)) >= Interval))
            {
                // Task.Run: the round starts outside the lock, and none of it runs on (or is cancelled with) this caller.
                _round = Task.Run(RunRoundAsync, CancellationToken.None);
            }

            round = _round;
        }

        return round.WaitAsync(cancellationToken);
    }

    private async Task RunRoundAsync()
    {
        try
        {
            await probe(CancellationToken.None);
        }
        finally
        {
            // From the round's end: a slow round (retries in an outage) is not followed at once by another.
            Interlocked.Exchange(ref _roundEndedAt, time.GetTimestamp());
        }
    }
}
