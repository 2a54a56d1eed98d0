namespace FuncAuth.Revocation;

/// <summary>How revocations reach every instance, and their upkeep: <c>FuncAuth:Revocation</c>.</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "FuncAuth:Revocation";

    /// <summary>How often entries of tokens that have expired anyway are removed.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each instance reads the revocations made since its last read.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most a revocation made on another instance can lag: older state is never trusted, and a check
    /// that finds it older first brings it up to date.
    /// </summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a check waits for that catch-up before answering 503.</summary>
    public TimeSpan SyncWait { get; set; } = TimeSpan.FromSeconds(2);
}
