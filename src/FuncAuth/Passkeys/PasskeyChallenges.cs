using System.Buffers.Text;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Passkeys;

/// <summary>
/// WebAuthn challenges: 256 random bits, handed out inside options and stored (only as their SHA-256) in the one-time token
/// table under a partition key of their own form (<c>passkey-</c> + hash), with the options they belong to, the ceremony and,
/// for a registration, the user. Row key <c>token</c> and <c>ExpiresAt</c> as every row there, so the hourly purge removes
/// the unanswered ones. An answer spends its challenge by an ETag-conditional delete BEFORE anything else is verified: of any
/// number of racing answers exactly one gets the options, and a replayed answer finds nothing.
/// </summary>
internal sealed class PasskeyChallenges(FuncAuthTables tables, TimeProvider time)
{
    private const string KeyPrefix = "passkey-";

    // The one-time token table's row key, so its purge (RowKey eq 'token' and ExpiresAt lt now) removes challenges too.
    private const string Row = "token";

    /// <summary>Stores the challenge of <paramref name="optionsJson"/> for 5 minutes.</summary>
    public Task StoreAsync(byte[] challenge, PasskeyCeremony ceremony, string? userId, string optionsJson, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                await table.AddEntityAsync(
                    new TableEntity(KeyOf(challenge), Row)
                    {
                        ["Ceremony"] = ceremony.ToString(),
                        ["UserId"] = userId,
                        ["Options"] = optionsJson,
                        ["ExpiresAt"] = time.GetUtcNow() + PasskeyRelyingParty.ChallengeLifetime,
                    },
                    ct);
                return true;
            },
            cancellationToken);

    /// <summary>
    /// Spends the challenge an answer carries (base64url, as in clientDataJSON) whatever comes of the answer: the options it
    /// was stored with, or why not. Unknown and already spent are one outcome (the row is gone either way).
    /// </summary>
    public async Task<SpentChallenge> SpendAsync(string? challenge, PasskeyCeremony ceremony, CancellationToken cancellationToken)
    {
        // Anything that is not 43 base64url characters cannot be one of ours: refused without a storage call.
        if (challenge is not { Length: 43 } || !Base64Url.IsValid(challenge))
        {
            return SpentChallenge.Unknown;
        }

        var key = KeyOf(Base64Url.DecodeFromChars(challenge));
        var entity = await tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(key, Row, cancellationToken: ct);
                return found.HasValue ? found.Value : null;
            },
            cancellationToken);
        if (entity is null || !await TryDeleteAsync(key, entity.ETag, cancellationToken))
        {
            return SpentChallenge.Unknown;
        }

        if (entity.GetDateTimeOffset("ExpiresAt") is not { } expiresAt || expiresAt <= time.GetUtcNow())
        {
            return new SpentChallenge(ChallengeOutcome.Expired, null, null);
        }

        return entity.GetString("Ceremony") == ceremony.ToString() && entity.GetString("Options") is { } options
            ? new SpentChallenge(ChallengeOutcome.Spent, options, entity.GetString("UserId"))
            : new SpentChallenge(ChallengeOutcome.OtherCeremony, null, null);
    }

    private Task<bool> TryDeleteAsync(string key, ETag etag, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // The SDK answers a delete of a row already gone with a 404 response rather than an exception: that is
                    // a racer that spent it first, so the status decides.
                    var deleted = await table.DeleteEntityAsync(key, Row, etag, ct);
                    return deleted.Status is >= 200 and < 300;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    private static string KeyOf(byte[] challenge) => KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(challenge));
}

/// <summary>Which ceremony a challenge was made for: a challenge of one never answers the other.</summary>
internal enum PasskeyCeremony
{
    Registration,
    SignIn,
}

internal enum ChallengeOutcome
{
    /// <summary>This answer spent it: <see cref="SpentChallenge.OptionsJson"/> holds the options.</summary>
    Spent,

    /// <summary>Never issued, or already spent (replayed, or a racer won).</summary>
    Unknown,

    /// <summary>Spent now, but issued more than 5 minutes ago.</summary>
    Expired,

    /// <summary>Spent now, but issued for the other ceremony.</summary>
    OtherCeremony,
}

internal sealed record SpentChallenge(ChallengeOutcome Outcome, string? OptionsJson, string? UserId)
{
    public static SpentChallenge Unknown { get; } = new(ChallengeOutcome.Unknown, null, null);
}
