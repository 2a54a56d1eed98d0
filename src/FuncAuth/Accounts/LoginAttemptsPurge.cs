using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Accounts;

/// <summary>
/// Keeps the lockout table bounded: every hour (not at start-up) it removes the state of names whose last failure is
/// older than <see cref="LockoutOptions.FailureMemory"/>, so the table holds recent failures only, whatever an
/// attacker sprays. Stale rows are read as forgotten meanwhile.
/// </summary>
internal sealed class LoginAttemptsPurge(LoginAttempts attempts, TimeProvider time, ILogger<LoginAttemptsPurge> logger)
    : PeriodicPurge(TimeSpan.FromHours(1), runAtStart: false, time, logger)
{
    protected override string What => "lockout state of names with no recent failure";

    protected override Task<int> PurgeAsync(CancellationToken cancellationToken) => attempts.PurgeStaleAsync(cancellationToken);
}
