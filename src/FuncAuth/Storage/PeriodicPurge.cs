using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Storage;

/// <summary>
/// Upkeep that keeps a table bounded: while the app runs (on either host), every interval it removes what no one can
/// need any more. A failed round loses nothing: the rows wait for the next one, and the app keeps serving.
/// </summary>
internal abstract partial class PeriodicPurge(TimeSpan interval, bool runAtStart, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>What the purge removes, for its log lines ("expired sessions").</summary>
    protected abstract string What { get; }

    /// <summary>One round; answers how many rows it removed.</summary>
    protected abstract Task<int> PurgeAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        if (!runAtStart && !await timer.WaitForNextTickAsync(stoppingToken))
        {
            return;
        }

        do
        {
            try
            {
                LogPurged(logger, await PurgeAsync(stoppingToken), What);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever it is (a storage fault, a FormatException from a malformed response header, a cancellation
                // that is not the app stopping): a background loop that ends takes its upkeep with it, and one that
                // throws stops the whole host, so it is logged and the loop goes on.
                LogPurgeFailed(logger, What, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} {What}.")]
    private static partial void LogPurged(ILogger logger, int count, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge {What}; will try again at the next interval.")]
    private static partial void LogPurgeFailed(ILogger logger, string what, Exception exception);
}
