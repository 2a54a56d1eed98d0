using FuncAuth.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Keeps the revocation list bounded: every <see cref="RevocationOptions.PurgeInterval"/>, from start-up on, it removes
/// the entries of tokens that have expired anyway.
/// </summary>
internal sealed class RevocationPurge(
    RevocationTable revocations,
    IOptions<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationPurge> logger) : PeriodicPurge(options.Value.PurgeInterval, runAtStart: true, time, logger)
{
    protected override string What => "expired entries from the revocation list";

    protected override Task<int> PurgeAsync(CancellationToken cancellationToken) => revocations.PurgeExpiredAsync(cancellationToken);
}
