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

/// <summary>
/// Consecutive failed password checks per username, in Table Storage, so every instance counts the same failures:
/// after <see cref="LockoutOptions.MaxFailedAttempts"/> the name is locked for <see cref="LockoutOptions.LockoutDuration"/>,
/// doubling with each further lockout up to the cap (as Keycloak's brute-force detection does); a success forgets it all.
/// Every update is ETag-conditional and retried, so failures on several instances at once are all counted. Keyed by the
/// username's key whether or not an account has it, so lockout behaves the same for names nobody has.
/// </summary>
internal sealed class LoginAttempts(FuncAuthTables tables, IOptions<LockoutOptions> options, TimeProvider time)
{
    private const string Row = "attempts";

    // Contention is between the failures of one name at once: each lost round re-reads, so this many always settles them.
    private const int MaxRounds = 64;

    /// <summary>The name's state, or null when it has no failures worth remembering.</summary>
    public Task<LoginAttemptState?> ReadAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync((table, ct) => ReadAsync(table, username, ct), cancellationToken);

    /// <summary>
    /// Counts one failure, unless the name is locked already (attempts while locked are refused without a password check,
    /// so they are not failures). Answers the lockout it started, if it started one.
    /// </summary>
    public Task<TimeSpan?> RecordFailureAsync(Username username, CancellationToken cancellationToken) =>
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
                        return null;
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
                        if (current is null)
                        {
                            await table.AddEntityAsync(entity, ct);
                        }
                        else
                        {
                            await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct);
                        }

                        return lockout;
                    }
                    catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
                    {
                        // Another failure was counted first: count this one on top of it.
                    }
                }

                throw new StorageUnavailableException($"A failed login could not be counted after {MaxRounds} rounds of contention.");
            },
            cancellationToken);

    /// <summary>A success: the name starts afresh (only called when there was something to forget).</summary>
    public Task ResetAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                await table.DeleteEntityAsync(username.Key, Row, ETag.All, ct);
                return true;
            },
            cancellationToken);

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
