using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Keeps the revocation list bounded: while the app runs (on either host), every
/// <see cref="RevocationOptions.PurgeInterval"/> it removes the entries of tokens that have expired anyway.
/// </summary>
internal sealed partial class RevocationPurge(
    RevocationList revocations,
    IOptions<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        do
        {
            try
            {
                var removed = await revocations.PurgeExpiredAsync(stoppingToken);
                LogPurged(logger, removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: the entries are still there for the next round, and the app keeps serving.
                LogPurgeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired entries from the revocation list.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge the revocation list; will try again at the next interval.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
