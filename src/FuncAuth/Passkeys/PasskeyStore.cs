using System.Buffers.Text;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Passkeys;

/// <summary>
/// Registered passkeys in the Authenticators table: partition = the user id, row = <c>passkey-</c> + the credential id
/// (base64url), so a sign-in (user handle + credential id) is one point read and a user's list one partition query.
/// WebAuthn wants a credential id registered to one user only, across users: a second row per credential,
/// <c>passkey-id-</c> + SHA-256 of the id (its own partition, never a user id), claimed by an insert that only one
/// registration can win; no scan of every user's rows. The public key is COSE bytes: nothing secret is stored.
/// </summary>
internal sealed class PasskeyStore(FuncAuthTables tables)
{
    /// <summary>Credential ids longer than this are refused: 512 bytes is 683 base64url characters, well inside a row key's 1 KiB.</summary>
    public const int MaxCredentialIdBytes = 512;

    private const string RowPrefix = "passkey-";
    private const string IndexPrefix = "passkey-id-";
    private const string IndexRow = "owner";

    /// <summary>
    /// Claims <paramref name="credentialId"/> for <paramref name="userId"/>: true when it was free, or is already this user's
    /// claim without a passkey behind it (a registration of theirs that stopped halfway); false when anyone has it registered.
    /// </summary>
    public Task<bool> ClaimAsync(byte[] credentialId, string userId, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    await table.AddEntityAsync(new TableEntity(IndexKeyOf(credentialId), IndexRow) { ["UserId"] = userId }, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    var owner = await table.GetEntityIfExistsAsync<TableEntity>(IndexKeyOf(credentialId), IndexRow, cancellationToken: ct);
                    if (!owner.HasValue || owner.Value?.GetString("UserId") != userId)
                    {
                        return false;
                    }

                    var registered = await table.GetEntityIfExistsAsync<TableEntity>(userId, RowKeyOf(credentialId), ["PartitionKey"], ct);
                    return !registered.HasValue;
                }
            },
            cancellationToken);

    /// <summary>Stores a new passkey; false when the user already has one with that credential id.</summary>
    public Task<bool> TryAddAsync(PasskeyCredential passkey, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    await table.AddEntityAsync(ToEntity(passkey), ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>The user's passkey with that credential id (base64url), or null; a malformed id is none, without a storage call.</summary>
    public async Task<PasskeyCredential?> FindAsync(string userId, string credentialId, CancellationToken cancellationToken)
    {
        if (!IsCredentialId(credentialId) || !IsUserId(userId))
        {
            return null;
        }

        return await tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(userId, RowPrefix + credentialId, cancellationToken: ct);
                return found.HasValue && found.Value is { } entity ? FromEntity(entity) : null;
            },
            cancellationToken);
    }

    /// <summary>The user's passkeys (one partition query over the <c>passkey-</c> rows).</summary>
    public Task<List<PasskeyCredential>> ListAsync(string userId, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                // '-' + 1 is '.': the range holds exactly the row keys that start with "passkey-".
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey gt {RowPrefix} and RowKey lt {"passkey."}");
                var passkeys = new List<PasskeyCredential>();
                await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                {
                    if (FromEntity(entity) is { } passkey)
                    {
                        passkeys.Add(passkey);
                    }
                }

                return passkeys;
            },
            cancellationToken);

    /// <summary>
    /// Records a sign-in: the new counter, backup state and time, If-Match the ETag the passkey was read with. False when
    /// the row changed (a racing sign-in with the same passkey) or went (removed) since.
    /// </summary>
    public Task<bool> TryRecordUseAsync(PasskeyCredential passkey, uint signCount, bool backedUp, DateTimeOffset now, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var entity = new TableEntity(passkey.UserId, RowKeyOf(passkey.CredentialId))
                {
                    ["SignCount"] = (long)signCount,
                    ["BackedUp"] = backedUp,
                    ["LastUsedAt"] = now,
                };
                try
                {
                    var response = await table.UpdateEntityAsync(entity, passkey.ETag, TableUpdateMode.Merge, ct);
                    return response.Status is >= 200 and < 300;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>Removes the user's passkey and its claim on the credential id; false when the user has none by that id.</summary>
    public async Task<bool> DeleteAsync(string userId, string credentialId, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, credentialId, cancellationToken) is not { } passkey)
        {
            return false;
        }

        return await tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // If-Match the row read: a racing delete that won answers 404 (or 412), and only one of them says 204.
                    var deleted = await table.DeleteEntityAsync(userId, RowKeyOf(passkey.CredentialId), passkey.ETag, ct);
                    if (deleted.Status is not (>= 200 and < 300))
                    {
                        return false;
                    }
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }

                // The claim goes after the passkey, so no moment has a passkey without its claim. A claim left behind by a
                // fault here is this user's, and ClaimAsync lets them register the credential again.
                await table.DeleteEntityAsync(IndexKeyOf(passkey.CredentialId), IndexRow, ETag.All, ct);
                return true;
            },
            cancellationToken);
    }

    public static bool IsCredentialId(string? id) =>
        id is { Length: > 0 and <= (MaxCredentialIdBytes * 4 / 3) + 1 } && Base64Url.IsValid(id) && id.All(c => c != '=');

    private static bool IsUserId(string userId) => Guid.TryParseExact(userId, "D", out _);

    private static string RowKeyOf(byte[] credentialId) => RowPrefix + Base64Url.EncodeToString(credentialId);

    private static string IndexKeyOf(byte[] credentialId) => IndexPrefix + Convert.ToHexStringLower(SHA256.HashData(credentialId));

    private static TableEntity ToEntity(PasskeyCredential passkey) => new(passkey.UserId, RowKeyOf(passkey.CredentialId))
    {
        ["UserKey"] = passkey.UserKey,
        ["PublicKey"] = passkey.PublicKey,
        ["SignCount"] = (long)passkey.SignCount,
        ["Transports"] = string.Join(' ', passkey.Transports),
        ["Name"] = passkey.Name,
        ["CreatedAt"] = passkey.CreatedAt,
        ["LastUsedAt"] = passkey.LastUsedAt,
        ["Aaguid"] = passkey.Aaguid,
        ["BackupEligible"] = passkey.BackupEligible,
        ["BackedUp"] = passkey.BackedUp,
        ["AttestationFormat"] = passkey.AttestationFormat,
    };

    private static PasskeyCredential? FromEntity(TableEntity entity)
    {
        if (!entity.RowKey.StartsWith(RowPrefix, StringComparison.Ordinal)
            || entity.GetString("UserKey") is not { } userKey
            || entity.GetBinary("PublicKey") is not { Length: > 0 } publicKey
            || entity.GetDateTimeOffset("CreatedAt") is not { } createdAt)
        {
            return null;
        }

        var id = entity.RowKey[RowPrefix.Length..];
        if (!IsCredentialId(id))
        {
            return null;
        }

        return new PasskeyCredential(
            entity.PartitionKey, userKey, Base64Url.DecodeFromChars(id), publicKey, (uint)Math.Clamp(entity.GetInt64("SignCount") ?? 0, 0, uint.MaxValue),
            (entity.GetString("Transports") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries), entity.GetString("Name") ?? "Passkey",
            createdAt, entity.GetDateTimeOffset("LastUsedAt"), entity.GetGuid("Aaguid") ?? Guid.Empty, entity.GetBoolean("BackupEligible") ?? false,
            entity.GetBoolean("BackedUp") ?? false, entity.GetString("AttestationFormat") ?? "none", entity.ETag);
    }
}

/// <summary>
/// A registered passkey as stored: whose (<see cref="UserId"/>, and <see cref="UserKey"/>, the account's key, to read it
/// back with one point read), the credential, its counter and flags, and what its owner sees (name, transports, times).
/// </summary>
internal sealed record PasskeyCredential(
    string UserId, string UserKey, byte[] CredentialId, byte[] PublicKey, uint SignCount, IReadOnlyList<string> Transports, string Name,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, Guid Aaguid, bool BackupEligible, bool BackedUp, string AttestationFormat, ETag ETag)
{
    /// <summary>The credential id as the API names it: base64url.</summary>
    public string Id => Base64Url.EncodeToString(CredentialId);

    public StoredPasskey ToStoredPasskey() => new(Id, Name, Transports, CreatedAt, LastUsedAt);
}
