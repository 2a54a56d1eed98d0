using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Sessions;

/// <summary>
/// Keeps the sessions table bounded: every <see cref="SessionOptions.PurgeInterval"/> it removes sessions past
/// their lifetime, with their refresh tokens (ended sessions are removed when they end).
/// </summary>
internal sealed partial class SessionPurge(
    SessionStore sessions,
    IOptions<SessionOptions> options,
    TimeProvider time,
    ILogger<SessionPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        do
        {
            try
            {
                var removed = await sessions.PurgeExpiredAsync(stoppingToken);
                LogPurged(logger, removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is lost: the entries wait for the next round, and expired sessions are refused anyway.
                LogPurgeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} expired sessions.")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired sessions; will try again at the next interval.")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
