using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Email;

/// <summary>
/// Keeps the one-time tokens table bounded: every hour it removes tokens that expired (spent ones are already gone) and
/// the per-recipient counters of past hours. An expired token is refused when read, so nothing waits on this.
/// </summary>
internal sealed class OneTimeTokensPurge(OneTimeTokens tokens, RecipientQuota quota, TimeProvider time, ILogger<OneTimeTokensPurge> logger)
    : PeriodicPurge(TimeSpan.FromHours(1), runAtStart: false, time, logger)
{
    protected override string What => "expired one-time tokens and past message counts";

    protected override async Task<int> PurgeAsync(CancellationToken cancellationToken) =>
        await tokens.PurgeExpiredAsync(cancellationToken) + await quota.PurgeAsync(cancellationToken);
}
