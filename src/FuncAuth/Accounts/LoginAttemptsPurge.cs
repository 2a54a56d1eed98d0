using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Accounts;

/// <summary>
/// Keeps the lockout table bounded: every hour it removes the state of names whose last failure is older than
/// <see cref="LockoutOptions.FailureMemory"/>, so the table holds recent failures only, whatever an attacker sprays.
/// </summary>
internal sealed partial class LoginAttemptsPurge(LoginAttempts attempts, TimeProvider time, ILogger<LoginAttemptsPurge> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                LogPurged(logger, await attempts.PurgeStaleAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: stale rows wait for the next round and are read as forgotten meanwhile.
                LogPurgeFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed the lockout state of {Count} names with no recent failure.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge stale lockout state; will try again at the next interval.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
