using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Revocations in Table Storage, partitioned by the hour after which they can be forgotten (for a token: the
/// hour it expires). So the partitions still alive are few and bounded (a day of hours at most), the sync
/// reads only those and only what changed, and the upkeep drops whole past partitions instead of scanning.
/// A token's mark has its id as the row key; marks of other kinds carry a prefix (<c>session:</c>,
/// <c>user:</c>), so no two kinds can collide.
/// </summary>
internal sealed class RevocationTable(FuncAuthTables tables, IOptions<TokenOptions> tokenOptions, TimeProvider time)
{
    private const string BucketFormat = "yyyyMMddHH";

    // Another instance's clock may run behind this one's, and it accepts a token until exp + skew by its own
    // clock. So an entry is kept one more skew, and at least five minutes, past the point this clock stops
    // accepting its token: clocks that disagree by up to that much still find it.
    private static readonly TimeSpan MinimumPurgeMargin = TimeSpan.FromMinutes(5);

    private const string SessionPrefix = "session:";
    private const string UserPrefix = "user:";
    private const string ExpiresAt = "ExpiresAt";
    private const string RevokedBefore = "RevokedBefore";
    private const string KeepSessionId = "KeepSessionId";

    // What a mark needs, and nothing more: a sync reads as little as it can.
    private static readonly string[] MarkColumns = ["PartitionKey", "RowKey", "Timestamp", ExpiresAt, RevokedBefore, KeepSessionId];

    /// <summary>Revokes one token until it expires; answers the mark written, for this instance's own state.</summary>
    public Task<RevocationMark> RevokeAsync(AccessToken token, CancellationToken cancellationToken) =>
        WriteAsync(new RevocationMark(RevocationKind.Token, token.TokenId, ForgetAfter(token.Expires)), token.Subject, token.Expires, cancellationToken);

    /// <summary>
    /// Ends a session for every instance: its access tokens are refused from now on. Its tokens were all issued by
    /// now, so the mark is needed until one access token lifetime from now; answers the mark written.
    /// </summary>
    public Task<RevocationMark> EndSessionAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        var lastExpiry = time.GetUtcNow() + tokenOptions.Value.AccessTokenLifetime;
        return WriteAsync(new RevocationMark(RevocationKind.Session, sessionId, ForgetAfter(lastExpiry)), userId, lastExpiry, cancellationToken);
    }

    /// <summary>
    /// Logout everywhere, account deletion, a password change: every access token of the user issued before
    /// <paramref name="revokedBefore"/> is refused from now on, except those of <paramref name="keepSessionId"/> when
    /// given; answers the mark written. Within one bucket a later mark replaces an earlier one, whose cut-off it covers
    /// (the earlier one's sessions were ended by their own marks as well).
    /// </summary>
    public Task<RevocationMark> RevokeUserAsync(string userId, DateTimeOffset revokedBefore, string? keepSessionId, CancellationToken cancellationToken)
    {
        var lastExpiry = time.GetUtcNow() + tokenOptions.Value.AccessTokenLifetime;
        return WriteAsync(
            new RevocationMark(RevocationKind.User, userId, ForgetAfter(lastExpiry), revokedBefore, keepSessionId), userId, lastExpiry, cancellationToken);
    }

    /// <summary>
    /// The marks that can still refuse a token, changed at or after <paramref name="since"/> (the table's own
    /// <c>Timestamp</c>), or all of them when null; and the storage service's own time when the read began (the
    /// newest <c>Timestamp</c> read if it gave none), from which the next read can start. A change read is one
    /// range query over the partitions still alive, so its cost follows the live revocations, never the table's
    /// history. A full read (a fresh instance) splits the same range by row key and reads the parts at once.
    /// </summary>
    public Task<(List<RevocationMark> Marks, DateTimeOffset? AsOf)> ReadChangesAsync(DateTimeOffset? since, CancellationToken cancellationToken) =>
        tables.RevokedTokens.RunAsync(
            async (table, ct) =>
            {
                var alive = Bucket(time.GetUtcNow() - Retention);
                if (since is { } changedSince)
                {
                    var changes = new MarkBatch(ToMark);
                    await changes.ReadAsync(table, TableClient.CreateQueryFilter($"PartitionKey ge {alive} and Timestamp ge {changedSince}"), ct);
                    return (changes.Marks, changes.AsOf);
                }

                var parts = await Task.WhenAll(RowKeyRanges().Select(async range =>
                {
                    var part = new MarkBatch(ToMark);
                    await part.ReadAsync(table, range(alive), ct);
                    return part;
                }));
                var all = new MarkBatch(ToMark);
                foreach (var part in parts)
                {
                    all.Add(part);
                }

                return (all.Marks, all.AsOf);
            },
            cancellationToken);

    /// <summary>
    /// Removes the entries of tokens that are past their expiry, the clock skew and a margin for clocks that
    /// disagree; answers how many it found. Safe to run on several instances at once.
    /// </summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        tables.RevokedTokens.RunAsync(
            async (table, ct) =>
            {
                // Every bucket before the cutoff's holds only tokens that expired before that bucket began.
                var cutoff = Bucket(time.GetUtcNow() - Retention);
                var expired = table.QueryAsync<TableEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey lt {cutoff}"),
                    select: ["PartitionKey", "RowKey"],
                    cancellationToken: ct);

                var removed = 0;
                var batch = new List<TableTransactionAction>();
                await foreach (var entity in expired)
                {
                    if (batch.Count == 100 || (batch.Count > 0 && batch[0].Entity.PartitionKey != entity.PartitionKey))
                    {
                        removed += await SubmitAsync(table, batch, ct);
                    }

                    batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity));
                }

                return removed + await SubmitAsync(table, batch, ct);
            },
            cancellationToken);

    private static async Task<int> SubmitAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var count = batch.Count;
        try
        {
            await table.SubmitTransactionAsync(batch, ct);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Another instance purged some of these first: delete the rest one by one (a missing one is no error).
            foreach (var action in batch)
            {
                await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, ct);
            }
        }

        batch.Clear();
        return count;
    }

    /// <summary>
    /// Stores a mark in the bucket of <paramref name="lastExpiry"/> (when the last token it can refuse expires), keyed by
    /// its kind's prefix and id. An upsert: revoking twice is the same as revoking once.
    /// </summary>
    private Task<RevocationMark> WriteAsync(RevocationMark mark, string userId, DateTimeOffset lastExpiry, CancellationToken cancellationToken) =>
        tables.RevokedTokens.RunAsync(
            async (table, ct) =>
            {
                var rowKey = mark.Kind switch
                {
                    RevocationKind.Session => SessionPrefix + mark.Id,
                    RevocationKind.User => UserPrefix + mark.Id,
                    _ => mark.Id,
                };
                var entity = new TableEntity(Bucket(lastExpiry), rowKey)
                {
                    ["Subject"] = userId,
                    [ExpiresAt] = lastExpiry,
                    ["RevokedAt"] = time.GetUtcNow(),
                };
                if (mark.Kind == RevocationKind.User)
                {
                    entity[RevokedBefore] = mark.RevokedBefore;
                    entity[KeepSessionId] = mark.KeepSessionId;
                }

                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
                return mark;
            },
            cancellationToken);

    /// <summary>How long past its token's expiry a mark is kept: the skew, and a margin for clocks that disagree.</summary>
    private TimeSpan Retention
    {
        get
        {
            var skew = tokenOptions.Value.ClockSkew;
            return skew + (skew > MinimumPurgeMargin ? skew : MinimumPurgeMargin);
        }
    }

    private DateTimeOffset ForgetAfter(DateTimeOffset expires) => expires + Retention;

    private RevocationMark? ToMark(TableEntity entity)
    {
        if (entity.GetDateTimeOffset(ExpiresAt) is not { } expires)
        {
            return null;
        }

        var id = entity.RowKey;
        if (id.StartsWith(SessionPrefix, StringComparison.Ordinal))
        {
            return new RevocationMark(RevocationKind.Session, id[SessionPrefix.Length..], ForgetAfter(expires));
        }

        if (id.StartsWith(UserPrefix, StringComparison.Ordinal))
        {
            return entity.GetDateTimeOffset(RevokedBefore) is { } before
                ? new RevocationMark(RevocationKind.User, id[UserPrefix.Length..], ForgetAfter(expires), before, entity.GetString(KeepSessionId))
                : null;
        }

        return new RevocationMark(RevocationKind.Token, id, ForgetAfter(expires));
    }

    // Row keys are base64url token ids or kind-prefixed ids: split by first character (in the service's ordinal
    // order) into ranges that together cover every string, so a full read runs as parallel smaller queries.
    private static IEnumerable<Func<string, string>> RowKeyRanges()
    {
        const string FirstCharacters = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        const int Parts = 16;
        var step = FirstCharacters.Length / Parts;
        for (var i = 0; i < Parts; i++)
        {
            var low = i == 0 ? null : FirstCharacters[i * step].ToString();
            var high = i == Parts - 1 ? null : FirstCharacters[(i + 1) * step].ToString();
            yield return alive => (low, high) switch
            {
                (null, { } h) => TableClient.CreateQueryFilter($"PartitionKey ge {alive} and RowKey lt {h}"),
                ({ } l, null) => TableClient.CreateQueryFilter($"PartitionKey ge {alive} and RowKey ge {l}"),
                _ => TableClient.CreateQueryFilter($"PartitionKey ge {alive} and RowKey ge {low} and RowKey lt {high}"),
            };
        }
    }

    internal static string Bucket(DateTimeOffset expires) =>
        expires.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The marks one or more queries read; when the service began answering them, by its own clock (the
    /// <c>Date</c> of each query's first page, the earliest of them); and the newest <c>Timestamp</c> read.
    /// </summary>
    private sealed class MarkBatch(Func<TableEntity, RevocationMark?> toMark)
    {
        private DateTimeOffset? _started;
        private DateTimeOffset? _newest;

        public List<RevocationMark> Marks { get; } = [];

        /// <summary>Where the next change read can start: nothing written after this is missing from the batch.</summary>
        public DateTimeOffset? AsOf => _started ?? _newest;

        public async Task ReadAsync(TableClient table, string filter, CancellationToken cancellationToken)
        {
            var pages = table.QueryAsync<TableEntity>(filter, select: MarkColumns, cancellationToken: cancellationToken).AsPages();
            var first = true;
            await foreach (var page in pages)
            {
                if (first)
                {
                    first = false;
                    _started = Earliest(_started, page.GetRawResponse().Headers.Date);
                }

                foreach (var entity in page.Values)
                {
                    _newest = Latest(_newest, entity.Timestamp);
                    if (toMark(entity) is { } mark)
                    {
                        Marks.Add(mark);
                    }
                }
            }
        }

        public void Add(MarkBatch other)
        {
            Marks.AddRange(other.Marks);
            _started = Earliest(_started, other._started);
            _newest = Latest(_newest, other._newest);
        }

        private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

        private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
    }
}
