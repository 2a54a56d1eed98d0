using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>
/// Where a name stands: consecutive failed password checks, the checks reserved and not yet decided (<see cref="InFlight"/>,
/// as of <see cref="InFlightAt"/>), and its lockouts.
/// </summary>
internal sealed record LoginAttemptState(
    int Failures, int InFlight, DateTimeOffset? InFlightAt, int Lockouts, DateTimeOffset? LockedUntil, DateTimeOffset LastFailureAt, ETag ETag)
{
    public static LoginAttemptState Empty(DateTimeOffset now) => new(0, 0, null, 0, null, now, ETag.All);

    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;
}

/// <summary>
/// Consecutive failed password checks per username, in Table Storage, so every instance counts the same failures:
/// after <see cref="LockoutOptions.MaxFailedAttempts"/> the name is locked for <see cref="LockoutOptions.LockoutDuration"/>,
/// doubling with each further lockout up to the cap (as Keycloak's brute-force detection does); a success forgets it all.
/// Keyed by the username's key whether or not an account has it, so lockout behaves the same for names nobody has.
/// </summary>
/// <remarks>
/// Every password check is reserved here before it is made, and its outcome recorded after, each an ETag-conditional
/// write (re-read and retried when another wins): so the table, not a read-then-write, decides among any number of racing
/// requests on any number of instances. A check may be reserved only while the failures so far and the checks in flight
/// together leave room under the limit; a request that finds no room waits for one to be decided (a right password frees
/// it, a wrong one fills it). So at most <see cref="LockoutOptions.MaxFailedAttempts"/> passwords are checked before the
/// lock, however many guesses race, and the right password is refused while the name is locked, whatever arrived first;
/// yet the owner's own concurrent sign-ins (a service account, a load test) only queue, and never lock the name.
/// </remarks>
internal sealed class LoginAttempts(FuncAuthTables tables, IOptions<LockoutOptions> options, TimeProvider time)
{
    private const string Row = "attempts";

    // Contention is between the attempts of one name at once: each lost round re-reads, so this many always settles them.
    private const int MaxRounds = 64;

    // A check reserved and never decided (its instance stopped) stops counting after this long since the last reservation.
    private static readonly TimeSpan InFlightExpiry = TimeSpan.FromSeconds(60);

    // How long a request waits for room among the checks in flight, and how often it looks again.
    private static readonly TimeSpan RoomWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RoomPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reserves one password check for the name before it is made: false when the name is locked (refused, nothing
    /// written), or when no room came free among the checks in flight within the wait (refused alike).
    /// </summary>
    public Task<bool> ReserveAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                var settings = options.Value;
                // Waiting is measured on the machine's clock, not the app's TimeProvider: it is about this request's patience,
                // not about lockout time (and a test's frozen clock must not make it wait for ever).
                var waiting = System.Diagnostics.Stopwatch.StartNew();
                for (var round = 0; round < MaxRounds;)
                {
                    var now = time.GetUtcNow();
                    var current = await ReadAsync(table, username, ct);
                    var state = current ?? LoginAttemptState.Empty(now);
                    if (state.IsLocked(now))
                    {
                        return false;
                    }

                    if (state.Failures + InFlight(state, now) >= settings.MaxFailedAttempts)
                    {
                        // Every try left is being checked: wait for one to be decided (not a lost race: no round spent).
                        if (waiting.Elapsed >= RoomWait)
                        {
                            return false;
                        }

                        await Task.Delay(RoomPoll + TimeSpan.FromMilliseconds(Random.Shared.Next(100)), ct);
                        continue;
                    }

                    round++;
                    if (await TryWriteAsync(table, username, current, state with { InFlight = InFlight(state, now) + 1, InFlightAt = now }, ct))
                    {
                        return true;
                    }
                }

                throw new StorageUnavailableException($"A login attempt could not be reserved after {MaxRounds} rounds of contention.");
            },
            cancellationToken);

    /// <summary>
    /// Decides a reserved check. A wrong password is one more failure, and the one that reaches the limit locks the name
    /// (answers the lockout it started); a right one forgets the failures, but never lifts a lock others set meanwhile. Not
    /// under the request's cancellation: a client that hangs up must not leave its check undecided.
    /// </summary>
    public Task<TimeSpan?> DecideAsync(Username username, bool right) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                var settings = options.Value;
                for (var round = 0; round < MaxRounds; round++)
                {
                    var now = time.GetUtcNow();
                    var current = await ReadAsync(table, username, ct);
                    var state = current ?? LoginAttemptState.Empty(now);
                    var next = state with { InFlight = Math.Max(0, InFlight(state, now) - 1) };
                    TimeSpan? lockout = null;
                    if (!state.IsLocked(now))
                    {
                        if (right)
                        {
                            next = next with { Failures = 0, Lockouts = 0, LockedUntil = null };
                        }
                        else if (state.Failures + 1 >= settings.MaxFailedAttempts)
                        {
                            lockout = Duration(state.Lockouts, settings);
                            next = next with { Failures = 0, Lockouts = state.Lockouts + 1, LockedUntil = now + lockout, LastFailureAt = now };
                        }
                        else
                        {
                            next = next with { Failures = state.Failures + 1, LastFailureAt = now };
                        }
                    }

                    if (await TryWriteAsync(table, username, current, next, ct))
                    {
                        return lockout;
                    }
                }

                throw new StorageUnavailableException($"A login attempt could not be recorded after {MaxRounds} rounds of contention.");
            },
            CancellationToken.None);

    /// <summary>
    /// Forgets the name's failures and lifts its lock (a password reset proved the owner): an ETag-conditional write like
    /// the others, so the checks in flight keep being counted until they are decided.
    /// </summary>
    public Task ClearAsync(Username username) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < MaxRounds; round++)
                {
                    var now = time.GetUtcNow();
                    var current = await ReadAsync(table, username, ct);
                    if (current is null)
                    {
                        return true;
                    }

                    var next = current with { Failures = 0, Lockouts = 0, LockedUntil = null, InFlight = InFlight(current, now) };
                    if (await TryWriteAsync(table, username, current, next, ct))
                    {
                        return true;
                    }
                }

                throw new StorageUnavailableException($"A name's lockout could not be cleared after {MaxRounds} rounds of contention.");
            },
            CancellationToken.None);

    /// <summary>Until when the name is locked, or null when it is not locked now (the admin API shows it).</summary>
    public Task<DateTimeOffset?> LockedUntilAsync(Username username, CancellationToken cancellationToken) =>
        tables.LoginAttempts.RunAsync(
            async (table, ct) =>
            {
                var state = await ReadAsync(table, username, ct);
                return state is not null && state.IsLocked(time.GetUtcNow()) ? state.LockedUntil : null;
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

    /// <summary>The checks still in flight: none once the newest reservation is older than the expiry.</summary>
    private static int InFlight(LoginAttemptState state, DateTimeOffset now) =>
        state.InFlightAt is { } at && at + InFlightExpiry > now ? state.InFlight : 0;

    /// <summary>
    /// Writes <paramref name="next"/> if the row is still as <paramref name="current"/> was read (absent: added); an empty
    /// state removes the row. False when someone wrote first.
    /// </summary>
    private static async Task<bool> TryWriteAsync(
        TableClient table, Username username, LoginAttemptState? current, LoginAttemptState next, CancellationToken ct)
    {
        try
        {
            if (next is { Failures: 0, InFlight: 0, Lockouts: 0, LockedUntil: null })
            {
                if (current is not null)
                {
                    await table.DeleteEntityAsync(username.Key, Row, current.ETag, ct);
                }

                return true;
            }

            var entity = new TableEntity(username.Key, Row)
            {
                ["Failures"] = next.Failures,
                ["InFlight"] = next.InFlight,
                ["InFlightAt"] = next.InFlightAt,
                ["Lockouts"] = next.Lockouts,
                ["LockedUntil"] = next.LockedUntil,
                ["LastFailureAt"] = next.LastFailureAt,
            };
            _ = current is null
                ? await table.AddEntityAsync(entity, ct)
                : await table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    private async Task<LoginAttemptState?> ReadAsync(TableClient table, Username username, CancellationToken ct)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, Row, cancellationToken: ct);
        if (!found.HasValue || found.Value is not { } entity || entity.GetDateTimeOffset("LastFailureAt") is not { } lastFailure)
        {
            return null;
        }

        // Failures are forgotten after the memory: the row is only waiting for the purge (and is replaced by the next write).
        var now = time.GetUtcNow();
        var state = new LoginAttemptState(
            entity.GetInt32("Failures") ?? 0, entity.GetInt32("InFlight") ?? 0, entity.GetDateTimeOffset("InFlightAt"),
            entity.GetInt32("Lockouts") ?? 0, entity.GetDateTimeOffset("LockedUntil"), lastFailure, entity.ETag);
        return lastFailure + options.Value.FailureMemory < now && !state.IsLocked(now)
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
