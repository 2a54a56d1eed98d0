using FuncAuth.Storage;
using FuncAuth.Tokens;

namespace FuncAuth.Revocation;

/// <summary>
/// What <c>verify</c> asks and <c>logout</c> tells: revocation checked against this instance's
/// <see cref="RevocationCache"/>, which <see cref="RevocationSync"/> keeps current from the <see cref="RevocationTable"/>.
/// A revocation made here is written to the table, then to the cache at once; one made on another instance arrives with
/// the next sync. A check never trusts a cache older than <see cref="RevocationOptions.MaxStaleness"/>: it first waits
/// for the sync to catch up, and when storage cannot be reached it fails closed with
/// <see cref="StorageUnavailableException"/> (503).
/// </summary>
internal sealed class Revocations(RevocationTable table, RevocationCache cache, RevocationSync sync, TimeProvider time)
{
    public ValueTask<bool> IsRevokedAsync(AccessToken token, CancellationToken cancellationToken) =>
        sync.IsFresh
            ? ValueTask.FromResult(cache.IsRevoked(token))
            : CatchUpThenCheckAsync(token, cancellationToken);

    /// <summary>Whether a session has ended (see <see cref="RevocationCache.IsSessionEnded"/>), by state no older than the bound.</summary>
    public async ValueTask<bool> IsSessionEndedAsync(string userId, string sessionId, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        if (!sync.IsFresh)
        {
            await sync.CatchUpAsync(cancellationToken);
        }

        return cache.IsSessionEnded(userId, sessionId, createdAt);
    }

    /// <summary>Revokes the token in storage, then in this instance's state at once.</summary>
    public async Task RevokeAsync(AccessToken token, CancellationToken cancellationToken) =>
        cache.Add(await table.RevokeAsync(token, cancellationToken));

    /// <summary>Ends the session's access tokens in storage, then in this instance's state at once.</summary>
    public async Task EndSessionAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        cache.Add(await table.EndSessionAsync(userId, sessionId, cancellationToken));

    /// <summary>
    /// Refuses every access token of the user issued before this second, and every session begun before it, but those of
    /// <paramref name="keepSessionId"/> (a password change keeps the caller's session). Whole seconds, because <c>iat</c>
    /// has whole seconds: a login in the same second after this still works (the caller ends the sessions that began
    /// earlier in that second by their own marks, and the user's security stamp refuses sign-ins checked before it).
    /// </summary>
    public async Task RevokeUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var cutoff = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        cache.Add(await table.RevokeUserAsync(userId, cutoff, keepSessionId, cancellationToken));
    }

    private async ValueTask<bool> CatchUpThenCheckAsync(AccessToken token, CancellationToken cancellationToken)
    {
        await sync.CatchUpAsync(cancellationToken);
        return cache.IsRevoked(token);
    }
}
