using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Email;

/// <summary>
/// Single-use tokens that a message carries (address confirmation, password reset). A token is 256 random bits, given
/// out once (in the message) and stored only as its SHA-256: a table reader learns nothing usable, and a 256-bit secret
/// needs no slow hash. Spending is a point read and an ETag-conditional delete, so among any number of requests racing
/// with one token, on any number of instances, exactly one spends it.
/// </summary>
internal sealed class OneTimeTokens(FuncAuthTables tables, TimeProvider time)
{
    private const string Row = "token";
    private const int TokenBytes = 32;

    /// <summary>Stores a new token for the purpose and answers it (base64url); it is never stored or logged as it is.</summary>
    public Task<string> MintAsync(OneTimeTokenPurpose purpose, string userKey, string userId, string? address, string? stamp, TimeSpan lifetime, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
                await table.AddEntityAsync(
                    new TableEntity(KeyOf(token), Row)
                    {
                        ["Purpose"] = purpose.ToString(),
                        ["UserKey"] = userKey,
                        ["UserId"] = userId,
                        ["Address"] = address,
                        ["Stamp"] = stamp,
                        ["ExpiresAt"] = time.GetUtcNow() + lifetime,
                    },
                    ct);
                return token;
            },
            cancellationToken);

    /// <summary>The live token, or null (malformed, unknown, spent or expired); the caller checks its purpose.</summary>
    public async Task<OneTimeToken?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        // Anything that is not 43 base64url characters cannot be one: refused without a storage call.
        if (token is null || token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var entity = await tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(KeyOf(token), Row, cancellationToken: ct);
                return found.HasValue ? found.Value : null;
            },
            cancellationToken);
        if (entity is null
            || !Enum.TryParse<OneTimeTokenPurpose>(entity.GetString("Purpose"), out var purpose)
            || entity.GetDateTimeOffset("ExpiresAt") is not { } expiresAt || expiresAt <= time.GetUtcNow()
            || entity.GetString("UserKey") is not { } userKey || entity.GetString("UserId") is not { } userId)
        {
            return null;
        }

        return new OneTimeToken(entity.PartitionKey, entity.ETag, purpose, userKey, userId, entity.GetString("Address"), entity.GetString("Stamp"), expiresAt);
    }

    /// <summary>Spends the token: true for exactly one caller; false when it was spent (or removed) since it was read.</summary>
    public Task<bool> TrySpendAsync(OneTimeToken token, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // The SDK answers a delete of a row that is already gone without throwing (a 404 response): that is a
                    // racer that spent it first, so the status decides, not the absence of an exception.
                    var deleted = await table.DeleteEntityAsync(token.Key, Row, token.ETag, ct);
                    return deleted.Status != 404;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>Removes the tokens that have expired; answers how many went.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            (table, ct) => TableSweep.DeleteMatchingAsync(table, TableClient.CreateQueryFilter($"RowKey eq {Row} and ExpiresAt lt {time.GetUtcNow()}"), ct),
            cancellationToken);

    private static string KeyOf(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)));
}

internal enum OneTimeTokenPurpose
{
    /// <summary>Confirms the account's current address.</summary>
    ConfirmEmail,

    /// <summary>Makes <see cref="OneTimeToken.Address"/> the account's (confirmed) address.</summary>
    ChangeEmail,

    /// <summary>Sets a new password; void once the account's security stamp is no longer <see cref="OneTimeToken.Stamp"/>.</summary>
    ResetPassword,

    /// <summary>
    /// The second step of a password sign-in that starts a direct session (login, the password grant): Mfa/MfaTokens. The
    /// session kind is part of the purpose, so a token minted for one kind never completes the other.
    /// </summary>
    MfaSignIn,

    /// <summary>The second step of a password sign-in on the hosted page (a browser session): Mfa/MfaTokens.</summary>
    MfaBrowserSignIn,
}

/// <summary>A live token as read: who it is for, what it binds, and the ETag that spends it.</summary>
internal sealed record OneTimeToken(string Key, ETag ETag, OneTimeTokenPurpose Purpose, string UserKey, string UserId, string? Address, string? Stamp, DateTimeOffset ExpiresAt);
