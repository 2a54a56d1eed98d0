using FuncAuth.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Keeps <see cref="Revocations"/> current while the app runs (on either host): a sync every
/// <see cref="RevocationOptions.SyncInterval"/>, the first one at start-up, and expired marks forgotten. A paused
/// or idle instance simply misses ticks; its next check finds the state stale and catches up first.
/// </summary>
internal sealed partial class RevocationSync(
    Revocations revocations,
    IOptions<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncInterval, time);
        var failing = false;
        do
        {
            try
            {
                await revocations.SyncAsync().WaitAsync(stoppingToken);
                revocations.RemoveExpired();
                if (failing)
                {
                    failing = false;
                    LogRecovered(logger);
                }
            }
            catch (StorageUnavailableException e)
            {
                // Once per outage, not once per second; checks fail closed meanwhile.
                if (!failing)
                {
                    failing = true;
                    LogSyncFailing(logger, e);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything else (a FormatException from a malformed storage response header did it): an exception out
                // of this loop would stop the host, and a loop that ended would leave every instance failing closed.
                // Logged (once per failing run, as above) and the loop goes on; checks fail closed meanwhile.
                if (!failing)
                {
                    failing = true;
                    LogSyncFailed(logger, e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The revocation list cannot be read; verify answers 503 once what this instance knows is older than the staleness bound.")]
    private static partial void LogSyncFailing(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message =
        "The revocation sync failed unexpectedly; it goes on at the next interval, and verify answers 503 once what this instance knows is older than the staleness bound.")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The revocation list can be read again.")]
    private static partial void LogRecovered(ILogger logger);
}
