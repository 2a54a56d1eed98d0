using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>Where an account stands after failed password checks.</summary>
internal sealed record LoginAttemptState(int Failures, int Lockouts, DateTimeOffset? LockedUntil, DateTimeOffset LastFailureAt, ETag ETag)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;
}

/// <summary>What a reservation came to: whether the password may be checked, and the lockout it started, if any.</summary>
internal sealed record LoginAttemptReservation(bool Allowed, TimeSpan? LockoutStarted, ETag ETag)
{
    public static LoginAttemptReservation Refused { get; } = new(false, null, default);
}

/// <summary>
/// Consecutive failed password checks per username, in Table Storage, so every instance counts the same failures:
/// after <see cref="LockoutOptions.MaxFailedAttempts"/> the name is locked for <see cref="LockoutOptions.LockoutDuration"/>,
/// doubling with each further lockout up to the cap (as Keycloak's brute-force detection does); a success forgets it all.
/// Every attempt is reserved (counted) before its password is checked, ETag-conditionally and retried, so attempts on
/// several instances at once are all counted and none checks a password once the name is locked. Keyed by the
/// username's key whether or not an account has it, so lockout behaves the same for names nobody has.
/// </summary>
internal sealed class LoginAttempts(FuncAuthTables tables, IOptions<LockoutOptions> options, TimeProvider time)
{
    private const string Row = "attempts";

    // Contention is between the failures of one name at once: each lost round re-reads, so this many always settles them.
    private const int MaxRounds = 64;

    // A success gives up after this many rounds: the count stays, which is the safe side.
    private const int ReleaseRounds = 4;

    /// <summary>The name's state, or null when it has no failures worth remembering.</summary>
    public Task<LoginAttemptState?> ReadAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync((table, ct) => ReadAsync(table, username, ct), cancellationToken);

    /// <summary>
    /// Reserves one password check for the name before it is made, so that however many requests race, the table decides
    /// which may check: each reservation counts as a failure up front (ETag-conditional, re-read and retried when another
    /// reservation wins the write). The reservation that brings the count to <see cref="LockoutOptions.MaxFailedAttempts"/>
    /// writes the lock itself and may still check (it is the last allowed attempt). A name already locked is refused with
    /// no write: at most <see cref="LockoutOptions.MaxFailedAttempts"/> checks per lockout window, whatever the concurrency.
    /// </summary>
    public Task<LoginAttemptReservation> ReserveAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                var settings = options.Value;
                for (var round = 0; round < MaxRounds; round++)
                {
                    var now = time.GetUtcNow();
                    var current = await ReadAsync(table, username, ct);
                    if (current?.IsLocked(now) == true)
                    {
                        return LoginAttemptReservation.Refused;
                    }

                    var failures = (current?.Failures ?? 0) + 1;
                    var lockouts = current?.Lockouts ?? 0;
                    TimeSpan? lockout = null;
                    if (failures >= settings.MaxFailedAttempts)
                    {
                        lockout = Duration(lockouts, settings);
                        lockouts++;
                        failures = 0;
                    }

                    var entity = new TableEntity(username.Key, Row)
                    {
                        ["Failures"] = failures,
                        ["Lockouts"] = lockouts,
                        ["LockedUntil"] = now + lockout,
                        ["LastFailureAt"] = now,
                    };
                    try
                    {
                        var written = current is null
                            ? await table.AddEntityAsync(entity, ct)
                            : await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct);
                        return new LoginAttemptReservation(true, lockout, written.Headers.ETag ?? ETag.All);
                    }
                    catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
                    {
                        // Another reservation was written first: reserve on top of it.
                    }
                }

                throw new StorageUnavailableException($"A login attempt could not be reserved after {MaxRounds} rounds of contention.");
            },
            cancellationToken);

    /// <summary>
    /// A right password: the name starts afresh. The row is removed only as this reservation left it, or, when others
    /// wrote since, only while the name is not locked: a lock set meanwhile by other attempts stays (so a success cannot
    /// lift a lock it did not see). Not under the request's cancellation: a client that hangs up must not skip it.
    /// </summary>
    public Task ReleaseAsync(Username username, LoginAttemptReservation reservation) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                var etag = reservation.ETag;
                for (var round = 0; round < ReleaseRounds; round++)
                {
                    try
                    {
                        await table.DeleteEntityAsync(username.Key, Row, etag, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status == 412)
                    {
                        var current = await ReadAsync(table, username, ct);
                        if (current is null || current.IsLocked(time.GetUtcNow()))
                        {
                            return false;
                        }

                        etag = current.ETag;
                    }
                }

                // Still contended: the failures stay counted, which errs on the side of the lock.
                return false;
            },
            CancellationToken.None);

    /// <summary>Removes the state of names whose last failure is older than the memory; answers how many went.</summary>
    public Task<int> PurgeStaleAsync(CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                // The table holds only names that failed within the memory (and one purge interval): the scan is bounded
                // by recent failures, never by the number of users or by history.
                var before = time.GetUtcNow() - options.Value.FailureMemory;
                var removed = 0;
                await foreach (var entity in table.QueryAsync<TableEntity>(
                    TableClient.CreateQueryFilter($"LastFailureAt lt {before}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
                {
                    await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, ct);
                    removed++;
                }

                return removed;
            },
            cancellationToken);

    private async Task<LoginAttemptState?> ReadAsync(TableClient table, Username username, CancellationToken ct)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, Row, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } entity || entity.GetDateTimeOffset("LastFailureAt") is not { } lastFailure)
        {
            return null;
        }

        // Forgotten after the memory: the row is only waiting for the purge (and is replaced by the next write).
        var state = new LoginAttemptState(
            entity.GetInt32("Failures") ?? 0, entity.GetInt32("Lockouts") ?? 0, entity.GetDateTimeOffset("LockedUntil"), lastFailure, entity.ETag);
        return lastFailure + options.Value.FailureMemory < time.GetUtcNow() && !state.IsLocked(time.GetUtcNow())
            ? state with { Failures = 0, Lockouts = 0, LockedUntil = null }
            : state;
    }

    private static TimeSpan Duration(int previousLockouts, LockoutOptions settings)
    {
        var duration = settings.LockoutDuration;
        for (var i = 0; i < previousLockouts && duration < settings.MaxLockoutDuration; i++)
        {
            duration *= 2;
        }

        return duration < settings.MaxLockoutDuration ? duration : settings.MaxLockoutDuration;
    }
}
