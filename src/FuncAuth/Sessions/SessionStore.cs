using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Storage;

namespace FuncAuth.Sessions;

/// <summary>
/// Sessions in Table Storage, one table, three kinds of row, each found by a point read or one bounded range:
/// <list type="bullet">
/// <item>the session: partition = user id, row = session id (a user's sessions are one partition: listing them is one query);</item>
/// <item>a refresh token's index: partition = <c>rt-</c> + the token's hash, naming its user and session;</item>
/// <item>the upkeep schedule: partition = <c>expiry-</c> + the hour the session's lifetime ends, row = user:session,
/// so the purge reads only past hours' partitions, as the revocation purge does, never the whole table.</item>
/// </list>
/// The prefixes keep the kinds apart: user ids are GUIDs, which neither prefix can be.
/// </summary>
internal sealed class SessionStore(FuncAuthTables tables, TimeProvider time)
{
    /// <summary>Spent refresh tokens remembered per session, so any of them presented again is recognised as reuse.</summary>
    public const int MaxAncestors = 100;

    private const string IndexPrefix = "rt-";
    private const string IndexRow = "refresh-token";
    private const string SchedulePrefix = "expiry-";
    private const string BucketFormat = "yyyyMMddHH";
    private const string FirstHash = "FirstHash";

    // Past its end a session is refused anyway; this only keeps the purge from racing a refresh at the very edge.
    private static readonly TimeSpan PurgeMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Stores a new session: its upkeep entry, the session and its refresh token's index, written at once (a login waits
    /// for one round trip, not three). Whatever part of it a failure leaves behind, the upkeep entry (which names the
    /// first refresh token too) lets the purge remove; the client got no token, so nothing half-written is ever used.
    /// </summary>
    public Task StartAsync(Session session, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                var schedule = new TableEntity(ScheduleKey(session.ExpiresAt), ScheduleRow(session.UserId, session.Id))
                {
                    [FirstHash] = session.CurrentHash,
                };
                await Task.WhenAll(
                    table.UpsertEntityAsync(schedule, TableUpdateMode.Replace, ct),
                    table.AddEntityAsync(ToEntity(session), ct),
                    table.UpsertEntityAsync(IndexEntity(session.CurrentHash, session.UserId, session.Id), TableUpdateMode.Replace, ct));
                return true;
            },
            cancellationToken);

    /// <summary>The session a refresh token hash belongs (or belonged) to, or null when no session knows it.</summary>
    public Task<Session?> FindByRefreshTokenAsync(string hash, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                var index = await table.GetEntityIfExistsAsync<TableEntity>(IndexPrefix + hash, IndexRow, cancellationToken: ct);
                if (!index.HasValue || index.Value is not { } entry
                    || entry.GetString("UserId") is not { } userId || entry.GetString("SessionId") is not { } sessionId)
                {
                    return null;
                }

                return await ReadAsync(table, userId, sessionId, ct);
            },
            cancellationToken);

    public Task<Session?> FindAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync((table, ct) => ReadAsync(table, userId, sessionId, ct), cancellationToken);

    /// <summary>The user's stored sessions, whatever their state (one partition).</summary>
    public Task<List<Session>> ListAsync(string userId, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                var sessions = new List<Session>();
                await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userId}"), cancellationToken: ct))
                {
                    if (FromEntity(entity) is { } session)
                    {
                        sessions.Add(session);
                    }
                }

                return sessions;
            },
            cancellationToken);

    /// <summary>
    /// Replaces the session if nobody changed it since <paramref name="session"/>'s ETag was read: the table decides
    /// every race. False when someone did (or it is gone); the caller reads it again.
    /// </summary>
    public Task<bool> TryReplaceAsync(Session session, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    await table.UpdateEntityAsync(ToEntity(session), session.ETag, TableUpdateMode.Replace, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>
    /// Records that the session ended, if nobody changed it since it was read (false when someone did: read it again, so
    /// a rotation in between is ended too). It also files the session for the purge in the current hour, so its rows go
    /// within the hour even if removing them now fails.
    /// </summary>
    public Task<bool> TryMarkEndedAsync(Session session, DateTimeOffset endedAt, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                var schedule = new TableEntity(ScheduleKey(endedAt), ScheduleRow(session.UserId, session.Id));
                await table.UpsertEntityAsync(schedule, TableUpdateMode.Merge, ct);
                try
                {
                    var ended = new TableEntity(session.UserId, session.Id) { [nameof(Session.EndedAt)] = endedAt };
                    await table.UpdateEntityAsync(ended, session.ETag, TableUpdateMode.Merge, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>
    /// Removes an ended session's rows: its refresh tokens' index, then the session. An ended session never changes again
    /// (nothing rotates, re-stamps or re-ends it), so the row goes whatever its ETag (a missing one is no error).
    /// </summary>
    public Task RemoveEndedAsync(Session session, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                await Task.WhenAll(session.AllHashes().Select(hash => table.DeleteEntityAsync(IndexPrefix + hash, IndexRow, ETag.All, ct)));
                await table.DeleteEntityAsync(session.UserId, session.Id, ETag.All, ct);
                return true;
            },
            cancellationToken);

    /// <summary>Makes a refresh token findable (idempotent).</summary>
    public Task AddRefreshTokenAsync(Session session, string hash, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                await table.UpsertEntityAsync(IndexEntity(hash, session.UserId, session.Id), TableUpdateMode.Replace, ct);
                return true;
            },
            cancellationToken);

    /// <summary>Forgets refresh tokens the session no longer remembers (a missing one is no error).</summary>
    public Task ForgetRefreshTokensAsync(IEnumerable<string> hashes, CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                await Task.WhenAll(hashes.Select(hash => table.DeleteEntityAsync(IndexPrefix + hash, IndexRow, ETag.All, ct)));
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Removes sessions whose lifetime ended before the last whole hour (and a margin), and sessions that were ended
    /// (filed in the hour they ended), with their refresh tokens and upkeep entries; answers how many upkeep entries it
    /// handled. Safe to run on several instances at once.
    /// </summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        tables.Sessions.RunAsync(
            async (table, ct) =>
            {
                var now = time.GetUtcNow();
                var due = table.QueryAsync<TableEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey ge {SchedulePrefix} and PartitionKey lt {ScheduleKey(now - PurgeMargin)}"),
                    select: ["PartitionKey", "RowKey", FirstHash],
                    cancellationToken: ct);

                var handled = 0;
                await foreach (var entry in due)
                {
                    var separator = entry.RowKey.IndexOf(':', StringComparison.Ordinal);
                    var session = separator > 0 ? await ReadAsync(table, entry.RowKey[..separator], entry.RowKey[(separator + 1)..], ct) : null;
                    if (session is not null && (session.ExpiresAt + PurgeMargin <= now || session.EndedAt is not null))
                    {
                        await Task.WhenAll(session.AllHashes().Select(hash => table.DeleteEntityAsync(IndexPrefix + hash, IndexRow, ETag.All, ct)));
                        await table.DeleteEntityAsync(session.UserId, session.Id, ETag.All, ct);
                    }

                    // A login that failed halfway may have left its first refresh token's index without a session.
                    if (entry.GetString(FirstHash) is { } first)
                    {
                        await table.DeleteEntityAsync(IndexPrefix + first, IndexRow, ETag.All, ct);
                    }

                    await table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, ETag.All, ct);
                    handled++;
                }

                return handled;
            },
            cancellationToken);

    private static async Task<Session?> ReadAsync(TableClient table, string userId, string sessionId, CancellationToken ct)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(userId, sessionId, cancellationToken: ct);
        return found.HasValue && found.Value is { } entity ? FromEntity(entity) : null;
    }

    private static string ScheduleKey(DateTimeOffset at) => SchedulePrefix + at.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);

    private static string ScheduleRow(string userId, string sessionId) => userId + ":" + sessionId;

    private static TableEntity IndexEntity(string hash, string userId, string sessionId) => new(IndexPrefix + hash, IndexRow)
    {
        ["UserId"] = userId,
        ["SessionId"] = sessionId,
    };

    private static TableEntity ToEntity(Session session) => new(session.UserId, session.Id)
    {
        [nameof(Session.Username)] = session.Username,
        [nameof(Session.CreatedAt)] = session.CreatedAt,
        [nameof(Session.LastUsedAt)] = session.LastUsedAt,
        [nameof(Session.ExpiresAt)] = session.ExpiresAt,
        [nameof(Session.RefreshExpiresAt)] = session.RefreshExpiresAt,
        [nameof(Session.CurrentHash)] = session.CurrentHash,
        [nameof(Session.PreviousHash)] = session.PreviousHash,
        [nameof(Session.RotatedAt)] = session.RotatedAt,
        [nameof(Session.SealedSuccessor)] = session.SealedSuccessor,
        [nameof(Session.Ancestors)] = string.Join(' ', session.Ancestors),
        [nameof(Session.Stamp)] = session.Stamp,
        [nameof(Session.EndedAt)] = session.EndedAt,
        [nameof(Session.Kind)] = session.Kind == SessionKind.Direct ? null : session.Kind.ToString(),
        [nameof(Session.ClientId)] = session.ClientId,
        [nameof(Session.Scope)] = session.Scope,
        [nameof(Session.BrowserSessionId)] = session.BrowserSessionId,
        [nameof(Session.AuthTime)] = session.AuthTime,
        [nameof(Session.Methods)] = session.Methods is null ? null : AuthenticationMethods.Join(session.Methods),
    };

    private static Session? FromEntity(TableEntity entity) =>
        entity.GetString(nameof(Session.Username)) is { } username
        && entity.GetDateTimeOffset(nameof(Session.CreatedAt)) is { } created
        && entity.GetDateTimeOffset(nameof(Session.LastUsedAt)) is { } lastUsed
        && entity.GetDateTimeOffset(nameof(Session.ExpiresAt)) is { } expires
        && entity.GetDateTimeOffset(nameof(Session.RefreshExpiresAt)) is { } refreshExpires
        && entity.GetString(nameof(Session.CurrentHash)) is { } current
            ? new Session(
                entity.PartitionKey,
                entity.RowKey,
                username,
                created,
                lastUsed,
                expires,
                refreshExpires,
                current,
                entity.GetString(nameof(Session.PreviousHash)),
                entity.GetDateTimeOffset(nameof(Session.RotatedAt)),
                entity.GetString(nameof(Session.SealedSuccessor)),
                (entity.GetString(nameof(Session.Ancestors)) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                entity.ETag,
                entity.GetString(nameof(Session.Stamp)) ?? string.Empty,
                entity.GetDateTimeOffset(nameof(Session.EndedAt)),
                KindOf(entity.GetString(nameof(Session.Kind))),
                entity.GetString(nameof(Session.ClientId)),
                entity.GetString(nameof(Session.Scope)),
                entity.GetString(nameof(Session.BrowserSessionId)),
                entity.GetDateTimeOffset(nameof(Session.AuthTime)),
                AuthenticationMethods.Split(entity.GetString(nameof(Session.Methods))))
            : null;

    // Rows written before sessions had kinds are direct sessions; an unknown kind is never taken for a weaker one.
    private static SessionKind KindOf(string? stored) => stored switch
    {
        null => SessionKind.Direct,
        nameof(SessionKind.Browser) => SessionKind.Browser,
        nameof(SessionKind.Client) => SessionKind.Client,
        _ => SessionKind.Browser,
    };
}
