using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Mfa;

/// <summary>An account's TOTP secret as stored: decrypted, with the last time step a code was accepted for.</summary>
internal sealed record TotpRecord(string UserId, byte[] Secret, long LastStep, ETag ETag, bool Outdated);

/// <summary>
/// The TOTP rows of the <c>Authenticators</c> table (PartitionKey = user id): <c>totp-pending</c>, a secret shown to its
/// owner and not yet confirmed, and <c>totp</c>, the enabled one with the last accepted time step. Secrets are sealed by
/// <see cref="EncryptionKeyRing"/>; the recovery codes are beside them (<see cref="RecoveryCodes"/>).
/// </summary>
internal sealed class TotpStore(FuncAuthTables tables, EncryptionKeyRing keys)
{
    public const string EnabledRow = "totp";
    public const string PendingRow = "totp-pending";

    /// <summary>Whether TOTP is on for the user: one point read.</summary>
    public Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) => (await table.GetEntityIfExistsAsync<TableEntity>(userId, EnabledRow, ["PartitionKey"], ct)).HasValue,
            cancellationToken);

    /// <summary>
    /// The enabled (<see cref="EnabledRow"/>) or pending (<see cref="PendingRow"/>) secret; null when there is none. A row
    /// that no configured key opens is <see cref="TotpRecord.Secret"/> empty: it exists, but no code can match it.
    /// </summary>
    public Task<TotpRecord?> FindAsync(string userId, string row, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(userId, row, cancellationToken: ct);
                if (!found.HasValue || found.Value is not { } entity)
                {
                    return null;
                }

                var secret = keys.Open(new SealedSecret(entity.GetString("KeyId") ?? string.Empty, entity.GetString("Secret") ?? string.Empty), userId, row, out var outdated);
                return new TotpRecord(userId, secret ?? [], entity.GetInt64("LastStep") ?? 0, entity.ETag, outdated);
            },
            cancellationToken);

    /// <summary>Stores a new pending secret, replacing any earlier one.</summary>
    public Task SavePendingAsync(string userId, byte[] secret, DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) => await table.UpsertEntityAsync(Sealed(userId, PendingRow, secret, now), TableUpdateMode.Replace, ct),
            cancellationToken);

    /// <summary>
    /// Turns TOTP on, in one transaction of the user's partition: the enabled row (recording <paramref name="step"/>, the
    /// confirming code's, so that code cannot sign in), the pending row removed as it was read (its ETag), and the recovery
    /// codes' rows. Among racing confirmations exactly one commits; false for the others, and when TOTP was already on.
    /// </summary>
    public Task<bool> TryEnableAsync(TotpRecord pending, long step, IEnumerable<TableEntity> recoveryRows, DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var enabled = Sealed(pending.UserId, EnabledRow, pending.Secret, now);
                enabled["LastStep"] = step;
                List<TableTransactionAction> actions =
                [
                    new(TableTransactionActionType.Add, enabled),
                    new(TableTransactionActionType.Delete, new TableEntity(pending.UserId, PendingRow), pending.ETag),
                    .. recoveryRows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)),
                ];
                try
                {
                    await table.SubmitTransactionAsync(actions, ct);
                    return true;
                }
                catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>
    /// Records <paramref name="step"/> as the last accepted one, if it is later than the last and the row is still as
    /// read (ETag-conditional replace): true for exactly one of any number of requests racing with codes of the same or
    /// earlier steps, so a code never signs in twice. An outdated secret is sealed under the current key on the way.
    /// </summary>
    public Task<bool> TryAcceptStepAsync(TotpRecord record, long step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (step <= record.LastStep)
        {
            return Task.FromResult(false);
        }

        return tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var entity = Sealed(record.UserId, EnabledRow, record.Secret, now);
                entity["LastStep"] = step;
                try
                {
                    await table.UpdateEntityAsync(entity, record.ETag, TableUpdateMode.Replace, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// Turns TOTP off: the enabled and pending rows and every recovery code, in transactions of the user's partition, each
    /// row removed as it was read; re-read and retried when a racing sign-in changed one (a step accepted, a code spent).
    /// </summary>
    public Task RemoveAllAsync(string userId, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < 16; round++)
                {
                    var rows = new List<TableEntity>();
                    var filter = TableClient.CreateQueryFilter(
                        $"PartitionKey eq {userId} and (RowKey eq {EnabledRow} or RowKey eq {PendingRow} or (RowKey ge {RecoveryCodes.RowPrefix} and RowKey lt {RecoveryCodes.RowPrefixEnd}))");
                    await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct))
                    {
                        rows.Add(row);
                    }

                    if (rows.Count == 0)
                    {
                        return true;
                    }

                    try
                    {
                        // At most 100 actions a transaction: an enabled row, a pending one and 10 codes fit in one.
                        foreach (var chunk in rows.Chunk(100))
                        {
                            await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), ct);
                        }

                        return true;
                    }
                    catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
                    {
                        // A sign-in changed a row since the read: read again.
                    }
                }

                throw new StorageUnavailableException("TOTP could not be turned off after 16 rounds of contention.");
            },
            cancellationToken);

    private TableEntity Sealed(string userId, string row, byte[] secret, DateTimeOffset now)
    {
        var sealedSecret = keys.Seal(secret, userId, row);
        return new TableEntity(userId, row)
        {
            ["KeyId"] = sealedSecret.KeyId,
            ["Secret"] = sealedSecret.Ciphertext,
            ["UpdatedAt"] = now,
        };
    }
}
