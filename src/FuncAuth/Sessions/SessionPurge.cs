using FuncAuth.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Sessions;

/// <summary>
/// Keeps the sessions table bounded: every <see cref="SessionOptions.PurgeInterval"/>, from start-up on, it removes
/// sessions past their lifetime with their refresh tokens (ended sessions are removed when they end).
/// </summary>
internal sealed class SessionPurge(
    SessionStore sessions,
    IOptions<SessionOptions> options,
    TimeProvider time,
    ILogger<SessionPurge> logger) : PeriodicPurge(options.Value.PurgeInterval, runAtStart: true, time, logger)
{
    protected override string What => "expired sessions";

    protected override Task<int> PurgeAsync(CancellationToken cancellationToken) => sessions.PurgeExpiredAsync(cancellationToken);
}
