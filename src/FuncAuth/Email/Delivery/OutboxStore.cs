using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// The outbox's rows: one per message, in the partition <see cref="Partition"/> of the outbox table (the table's other
/// partitions hold the per-recipient counts). The row key is a version-7 GUID, so rows list oldest first. Every change
/// to a row is conditional on its ETag: the table, not a read followed by a write, decides which instance holds it.
/// </summary>
internal sealed class OutboxStore(FuncAuthTables tables)
{
    public const string Partition = "message";

    private const string Kind = nameof(OutboxRow.Kind);
    private const string Recipient = nameof(OutboxRow.Recipient);
    private const string Data = nameof(OutboxRow.Data);
    private const string CreatedAt = nameof(OutboxRow.CreatedAt);
    private const string NextAttemptAt = nameof(OutboxRow.NextAttemptAt);
    private const string ClaimedUntil = "ClaimedUntil";
    private const string Attempts = nameof(OutboxRow.Attempts);
    private const string DeadlineReported = nameof(OutboxRow.DeadlineReported);

    public Task AddAsync(string id, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.Outbox.RunAsync(
            async (table, ct) =>
            {
                var entity = new TableEntity(Partition, id)
                {
                    [Kind] = message.Kind,
                    [Recipient] = message.Recipient,
                    [Data] = JsonSerializer.Serialize(message.Data),
                    [CreatedAt] = now,
                    [NextAttemptAt] = now,

                    // Unclaimed: a claim sets it in the future.
                    [ClaimedUntil] = now,
                    [Attempts] = 0,
                    [DeadlineReported] = false,
                };
                try
                {
                    await table.AddEntityAsync(entity, ct);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // The SDK retried an insert whose response was lost: the id is fresh, so the row it met is this one.
                }

                return true;
            },
            cancellationToken);

    /// <summary>Up to <paramref name="count"/> messages due at <paramref name="now"/> and claimed by nobody, oldest first.</summary>
    public Task<List<OutboxRow>> DueAsync(DateTimeOffset now, int count, CancellationToken cancellationToken) =>
        tables.Outbox.RunAsync(
            async (table, ct) =>
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and NextAttemptAt le {now} and ClaimedUntil le {now}");
                var rows = new List<OutboxRow>(count);
                await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: count, cancellationToken: ct))
                {
                    rows.Add(FromEntity(entity));
                    if (rows.Count == count)
                    {
                        break;
                    }
                }

                return rows;
            },
            cancellationToken);

    /// <summary>Claims the row until <paramref name="until"/> if nobody changed it since it was read; the claimed row, or null.</summary>
    public Task<OutboxRow?> TryClaimAsync(OutboxRow row, DateTimeOffset until, CancellationToken cancellationToken) =>
        tables.Outbox.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    var update = new TableEntity(Partition, row.Id) { [ClaimedUntil] = until };
                    var written = await table.UpdateEntityAsync(update, row.ETag, TableUpdateMode.Merge, ct);
                    return row with { ETag = written.Headers.ETag ?? row.ETag };
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    // Another instance claimed it (or sent it) first.
                    return null;
                }
            },
            cancellationToken);

    /// <summary>Removes a sent (or dropped) message; a row already gone or changed is no error (delivery is at least once).</summary>
    public Task DeleteAsync(OutboxRow claimed, CancellationToken cancellationToken) =>
        tables.Outbox.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    await table.DeleteEntityAsync(Partition, claimed.Id, claimed.ETag, ct);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                }

                return true;
            },
            cancellationToken);

    /// <summary>
    /// Gives the claim up: the message is due again at <paramref name="nextAttemptAt"/>, after
    /// <paramref name="attempts"/> failed attempts. False when the claim was lost meanwhile (its lease ran out and
    /// another instance holds the row), and nothing was written.
    /// </summary>
    public Task<bool> ReleaseAsync(
        OutboxRow claimed, DateTimeOffset now, DateTimeOffset nextAttemptAt, int attempts, bool deadlineReported, CancellationToken cancellationToken) =>
        tables.Outbox.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    var update = new TableEntity(Partition, claimed.Id)
                    {
                        [ClaimedUntil] = now,
                        [NextAttemptAt] = nextAttemptAt,
                        [Attempts] = attempts,
                        [DeadlineReported] = deadlineReported,
                    };
                    await table.UpdateEntityAsync(update, claimed.ETag, TableUpdateMode.Merge, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    private static OutboxRow FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString(Kind) ?? string.Empty,
        entity.GetString(Recipient) ?? string.Empty,
        entity.GetString(Data),
        entity.GetDateTimeOffset(CreatedAt) ?? entity.Timestamp ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset(NextAttemptAt) ?? DateTimeOffset.MinValue,
        entity.GetInt32(Attempts) ?? 0,
        entity.GetBoolean(DeadlineReported) ?? false,
        entity.ETag);
}

/// <summary>One message as the outbox holds it; <see cref="Data"/> is the JSON of <see cref="OutboxMessage.Data"/>.</summary>
internal sealed record OutboxRow(
    string Id,
    string Kind,
    string Recipient,
    string? Data,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    int Attempts,
    bool DeadlineReported,
    ETag ETag)
{
    /// <summary>The message to compose; null when its data is not the JSON object of strings it was written as.</summary>
    public OutboxMessage? ToMessage()
    {
        try
        {
            var data = Data is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(Data);
            return data is null ? null : new OutboxMessage(Kind, Recipient, data);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
