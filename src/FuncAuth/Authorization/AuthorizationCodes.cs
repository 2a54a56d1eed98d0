using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Authorization;

/// <summary>
/// Authorization codes (RFC 6749 §4.1.2): 256 random bits, base64url, given out once (in the redirect) and stored only as
/// their SHA-256, in the one-time token table under a partition key of their own form (<c>code-</c> + hash), so no code
/// is ever taken for an email token or the other way round. The row holds the whole <see cref="AuthorizationGrant"/> and
/// an <c>ExpiresAt</c> 60 seconds on, which the one-time token purge also removes. Redeeming is a point read and an
/// ETag-conditional <em>replace</em> that marks the row redeemed with the session the redeemer is about to start: of any
/// number of racing redemptions exactly one wins, and a later use finds what the first one started, so it can be ended
/// (RFC 6749 §4.1.2: "the authorization server … SHOULD revoke … all tokens previously issued based on that code").
/// </summary>
internal sealed class AuthorizationCodes(FuncAuthTables tables, TimeProvider time)
{
    /// <summary>How long a code can be redeemed: one redirect and one back-channel request need seconds.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private const string KeyPrefix = "code-";

    // The one-time token table's row key, so its purge (RowKey eq 'token' and ExpiresAt lt now) removes codes too.
    private const string Row = "token";
    private const int CodeBytes = 32;
    private const int CodeLength = 43;

    /// <summary>Stores a new code for the grant and answers it; it is never stored or logged as it is.</summary>
    public Task<string> IssueAsync(AuthorizationGrant grant, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(CodeBytes));
                await table.AddEntityAsync(
                    new TableEntity(KeyOf(code), Row)
                    {
                        ["Grant"] = JsonSerializer.Serialize(StoredGrant.From(grant), CodeJson.Default.StoredGrant),
                        ["ExpiresAt"] = time.GetUtcNow() + Lifetime,
                    },
                    ct);
                return code;
            },
            cancellationToken);

    /// <summary>
    /// Spends the code (decided by the table: of any number of racing redemptions exactly one wins), recording
    /// <paramref name="sessionId"/>, the session the redemption is about to start, so a second use can end it.
    /// </summary>
    public async Task<CodeRedemption> RedeemAsync(string code, string sessionId, CancellationToken cancellationToken)
    {
        // Anything that is not 43 base64url characters cannot be one: refused without a storage call.
        if (code is not { Length: CodeLength } || !Base64Url.IsValid(code))
        {
            return Invalid;
        }

        var key = KeyOf(code);

        // Two rounds at most: a lost conditional write means a racer redeemed it, and the second read says whom.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var entity = await FindAsync(key, cancellationToken);
            if (entity is null || entity.GetString("Grant") is not { } json
                || JsonSerializer.Deserialize(json, CodeJson.Default.StoredGrant)?.ToGrant() is not { } grant)
            {
                return Invalid;
            }

            // Reuse is decided before expiry: a code used twice stays a reuse (and ends what it started) after it expired.
            if (entity.GetString("RedeemedBy") is { } firstSession)
            {
                return new CodeRedemption(CodeOutcome.Reused, grant, firstSession);
            }

            if (entity.GetDateTimeOffset("ExpiresAt") is not { } expiresAt || expiresAt <= time.GetUtcNow())
            {
                return new CodeRedemption(CodeOutcome.Expired, null, null);
            }

            entity["RedeemedBy"] = sessionId;
            entity["RedeemedAt"] = time.GetUtcNow();
            if (await TryReplaceAsync(entity, cancellationToken))
            {
                return new CodeRedemption(CodeOutcome.Redeemed, grant, null);
            }
        }

        // The row changed twice under us: it was removed (purged, expired) or is contended; never a success.
        return Invalid;
    }

    private static readonly CodeRedemption Invalid = new(CodeOutcome.Invalid, null, null);

    private Task<TableEntity?> FindAsync(string key, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(key, Row, cancellationToken: ct);
                return found.HasValue ? found.Value : null;
            },
            cancellationToken);

    private Task<bool> TryReplaceAsync(TableEntity entity, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // If-Match the ETag read: a racer's write (or a purge's delete) in between fails it. The SDK throws for
                    // a precondition failure (412) and a missing row (404); a status is checked as well, in case it answers.
                    var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
                    return response.Status is >= 200 and < 300;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    private static string KeyOf(string code) => KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));

    /// <summary>The grant as stored: its own names, so renaming a record member never misreads an older row.</summary>
    internal sealed record StoredGrant(
        [property: JsonPropertyName("client_id")] string ClientId,
        [property: JsonPropertyName("redirect_uri")] string RedirectUri,
        [property: JsonPropertyName("code_challenge")] string CodeChallenge,
        [property: JsonPropertyName("nonce")] string? Nonce,
        [property: JsonPropertyName("scope")] string Scope,
        [property: JsonPropertyName("user_id")] string UserId,
        [property: JsonPropertyName("username")] string Username,
        [property: JsonPropertyName("browser_session_id")] string BrowserSessionId,
        [property: JsonPropertyName("auth_time")] DateTimeOffset AuthTime,
        [property: JsonPropertyName("amr")] string[] Methods)
    {
        public static StoredGrant From(AuthorizationGrant grant) => new(
            grant.ClientId, grant.RedirectUri, grant.CodeChallenge, grant.Nonce, grant.Scope, grant.UserId, grant.Username,
            grant.BrowserSessionId, grant.AuthTime, [.. grant.Methods]);

        public AuthorizationGrant? ToGrant() =>
            ClientId is null || RedirectUri is null || CodeChallenge is null || Scope is null || UserId is null || Username is null || BrowserSessionId is null
                ? null
                : new AuthorizationGrant(ClientId, RedirectUri, CodeChallenge, Nonce, Scope, UserId, Username, BrowserSessionId, AuthTime, Methods ?? []);
    }
}

internal enum CodeOutcome
{
    Redeemed,
    Invalid,
    Expired,

    /// <summary>Already redeemed: <see cref="CodeRedemption.Grant"/> and <see cref="CodeRedemption.IssuedSessionId"/> say what the first use started.</summary>
    Reused,
}

internal sealed record CodeRedemption(CodeOutcome Outcome, AuthorizationGrant? Grant, string? IssuedSessionId);

[JsonSerializable(typeof(AuthorizationCodes.StoredGrant))]
internal sealed partial class CodeJson : JsonSerializerContext;
