using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Token ids revoked before their expiry (logout). Entries are partitioned by the hour their token
/// expires, so a check is a point read (the validated token names its own <c>exp</c>) and the upkeep
/// drops whole past partitions instead of scanning the table.
/// </summary>
internal sealed class RevocationList(FuncAuthTables tables, IOptions<TokenOptions> tokenOptions, TimeProvider time)
{
    private const string BucketFormat = "yyyyMMddHH";

    // Another instance's clock may run behind this one's, and it accepts a token until exp + skew by its own
    // clock. So an entry is kept one more skew, and at least five minutes, past the point this clock stops
    // accepting its token: clocks that disagree by up to that much still find it.
    private static readonly TimeSpan MinimumPurgeMargin = TimeSpan.FromMinutes(5);

    public Task RevokeAsync(AccessToken token, CancellationToken cancellationToken) =>
        tables.RevokedTokens.RunAsync(
            async (table, ct) =>
            {
                var entity = new TableEntity(Bucket(token.Expires), token.TokenId)
                {
                    ["Subject"] = token.Subject,
                    ["ExpiresAt"] = token.Expires,
                    ["RevokedAt"] = time.GetUtcNow(),
                };

                // An upsert: revoking twice is the same as revoking once.
                await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
                return true;
            },
            cancellationToken);

    public Task<bool> IsRevokedAsync(AccessToken token, CancellationToken cancellationToken) =>
        tables.RevokedTokens.RunAsync(
            async (table, ct) =>
            {
                var entry = await table.GetEntityIfExistsAsync<TableEntity>(Bucket(token.Expires), token.TokenId, ["PartitionKey"], ct);
                return entry.HasValue;
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
                var skew = tokenOptions.Value.ClockSkew;
                var margin = skew > MinimumPurgeMargin ? skew : MinimumPurgeMargin;
                var cutoff = Bucket(time.GetUtcNow() - skew - margin);
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

    internal static string Bucket(DateTimeOffset expires) =>
        expires.UtcDateTime.ToString(BucketFormat, CultureInfo.InvariantCulture);
}
