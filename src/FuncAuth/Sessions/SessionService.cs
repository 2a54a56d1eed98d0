using System.Buffers.Text;
using System.Security.Cryptography;
using FuncAuth.Accounts;
using FuncAuth.Revocation;
using FuncAuth.Security;
using FuncAuth.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Sessions;

/// <summary>What a refresh came to.</summary>
internal enum RefreshOutcome
{
    /// <summary>New tokens: a rotation, or the same successor to a racing client within the reuse interval.</summary>
    Refreshed,

    /// <summary>Not a refresh token of a live session (unknown, malformed, or of a session that ended).</summary>
    Invalid,

    /// <summary>The refresh token's idle lifetime or its session's absolute lifetime is over.</summary>
    Expired,

    /// <summary>A spent refresh token presented again: the session has been ended (RFC 9700 §4.14.2).</summary>
    Reused,
}

/// <summary>A session's tokens, ready for the wire.</summary>
internal sealed record SignIn(IssuedToken AccessToken, string RefreshToken, Session Session);

/// <summary>
/// Sessions: started by a login, continued by rotating refresh tokens, ended by logout, revocation, reuse or a
/// password change. Every race between refreshes is decided by the table (ETag-conditional replace), so however
/// many requests present one refresh token at once, exactly one successor is ever created. Ending a session writes
/// its revocation mark first, so its access tokens fail <c>verify</c> on every instance within the staleness bound
/// even if removing its rows fails halfway.
/// </summary>
internal sealed partial class SessionService(
    SessionStore store,
    UserStore users,
    Revocations revocations,
    TokenIssuer issuer,
    IOptions<SessionOptions> options,
    TimeProvider time,
    ILogger<SessionService> logger)
{
    // Each lost race re-reads the session; a handful of rounds settles any real contention.
    private const int MaxAttempts = 8;

    // 16 random bytes in base64url, unpadded.
    private const int SessionIdLength = 22;

    /// <summary>Starts a session for a user who just proved their password.</summary>
    public async Task<SignIn> StartAsync(UserAccount account, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var refreshToken = RefreshToken.New();
        var expires = now + settings.SessionLifetime;
        var session = new Session(
            account.Id,
            NewSessionId(),
            account.Username,
            CreatedAt: now,
            LastUsedAt: now,
            ExpiresAt: expires,
            RefreshExpiresAt: Earliest(now + settings.RefreshTokenLifetime, expires),
            CurrentHash: RefreshToken.HashOf(refreshToken),
            PreviousHash: null,
            RotatedAt: null,
            SealedSuccessor: null,
            Ancestors: [],
            ETag: default);
        await store.StartAsync(session, cancellationToken);
        return new SignIn(Issue(session), refreshToken, session);
    }

    /// <summary>Spends a refresh token for new tokens of its session (see <see cref="RefreshOutcome"/>).</summary>
    public async Task<(RefreshOutcome Outcome, SignIn? SignIn)> RefreshAsync(string? presented, CancellationToken cancellationToken)
    {
        if (RefreshToken.Decode(presented) is not { } spent)
        {
            return (RefreshOutcome.Invalid, null);
        }

        var settings = options.Value;
        var hash = RefreshToken.Hash(spent);
        var session = await store.FindByRefreshTokenAsync(hash, cancellationToken);
        for (var attempt = 0; session is not null && attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            if (now >= session.ExpiresAt)
            {
                return (RefreshOutcome.Expired, null);
            }

            // Storage may still hold a session whose end was recorded but whose rows were not yet removed.
            if (await revocations.IsSessionEndedAsync(session.UserId, session.Id, session.CreatedAt, cancellationToken))
            {
                return (RefreshOutcome.Invalid, null);
            }

            // No new tokens for a user who is gone (removed by an operator, say), or whose name is now someone else's.
            if (attempt == 0 && !await UserExistsAsync(session, cancellationToken))
            {
                await EndAsync(session, "its user no longer exists", cancellationToken);
                return (RefreshOutcome.Invalid, null);
            }

            if (session.CurrentHash == hash)
            {
                if (now >= session.RefreshExpiresAt)
                {
                    return (RefreshOutcome.Expired, null);
                }

                var successor = RefreshToken.New();
                var ancestors = session.PreviousHash is null ? session.Ancestors : [session.PreviousHash, .. session.Ancestors];
                var rotated = session with
                {
                    LastUsedAt = now,
                    RefreshExpiresAt = Earliest(now + settings.RefreshTokenLifetime, session.ExpiresAt),
                    CurrentHash = RefreshToken.HashOf(successor),
                    PreviousHash = hash,
                    RotatedAt = now,
                    SealedSuccessor = RefreshToken.Seal(successor, spent, session.Id),
                    Ancestors = ancestors.Count > SessionStore.MaxAncestors ? [.. ancestors.Take(SessionStore.MaxAncestors)] : ancestors,
                };
                // The successor is findable before the session names it, so whoever ends the session next (reading the
                // rotated row) removes its index too; a loser of the race removes its own, leaving nothing behind.
                await store.AddRefreshTokenAsync(rotated, rotated.CurrentHash, cancellationToken);
                if (await store.TryReplaceAsync(rotated, cancellationToken))
                {
                    if (ancestors.Count > SessionStore.MaxAncestors)
                    {
                        await store.ForgetRefreshTokensAsync(ancestors.Skip(SessionStore.MaxAncestors), cancellationToken);
                    }

                    return (RefreshOutcome.Refreshed, new SignIn(Issue(rotated), successor, rotated));
                }

                // Someone else changed the session first (most likely a racing refresh of this very token): look again.
                await store.ForgetRefreshTokensAsync([rotated.CurrentHash], cancellationToken);
                session = await store.FindAsync(session.UserId, session.Id, cancellationToken);
                continue;
            }

            if (WithinReuseInterval(session, hash, now) && RefreshToken.Unseal(session.SealedSuccessor!, spent, session.Id) is { } sameSuccessor)
            {
                // A race, not a theft: the same successor, so racing clients converge on one live refresh token.
                return (RefreshOutcome.Refreshed, new SignIn(Issue(session), sameSuccessor, session));
            }

            // A spent refresh token: one of its holders is not who the session belongs to. End the session for all.
            SecurityEvents.RefreshTokenReused(logger, session.UserId, session.Id);
            await EndAsync(session, "refresh token reuse", cancellationToken);
            return (RefreshOutcome.Reused, null);
        }

        return (RefreshOutcome.Invalid, null);
    }

    /// <summary>The user's sessions that are still usable, as of now.</summary>
    public async Task<List<Session>> ListActiveAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = new List<Session>();
        foreach (var session in await store.ListAsync(userId, cancellationToken))
        {
            if (now < session.UsableUntil && !await revocations.IsSessionEndedAsync(userId, session.Id, session.CreatedAt, cancellationToken))
            {
                active.Add(session);
            }
        }

        return active;
    }

    /// <summary>Ends one of the user's sessions; false when the user has no such session (someone else's included).</summary>
    public async Task<bool> EndAsync(string userId, string sessionId, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(userId, sessionId, cancellationToken) is not { } session)
        {
            return false;
        }

        await EndAsync(session, "ended by its user", cancellationToken);
        return true;
    }

    /// <summary>
    /// Logout: ends the token's session (its mark is written even when the session's rows are already gone, so the
    /// token is refused in any case), or every session of the user with <paramref name="everywhere"/>. A token from
    /// before sessions existed has no session: then it alone is revoked.
    /// </summary>
    public async Task LogOutAsync(AccessToken token, bool everywhere, CancellationToken cancellationToken)
    {
        if (everywhere)
        {
            await EndAllAsync(token.Subject, keepSessionId: null, everywhere: true, cancellationToken);
        }
        else if (token.SessionId is { } sessionId)
        {
            await revocations.EndSessionAsync(token.Subject, sessionId, cancellationToken);
            if (await store.FindAsync(token.Subject, sessionId, cancellationToken) is { } session)
            {
                await RemoveAsync(session, cancellationToken);
            }

            SecurityEvents.SessionEnded(logger, token.Subject, sessionId, "logout");

            return;
        }

        if (token.SessionId is null)
        {
            await revocations.RevokeAsync(token, cancellationToken);
        }
    }

    /// <summary>Whether the text has the form of a session id, so it can be looked up as a table key at all.</summary>
    public static bool IsSessionId(string? id) =>
        id is { Length: SessionIdLength } && Base64Url.IsValid(id);

    /// <summary>RFC 7009 for a refresh token: ends its session, if it names one. Answers whether it did.</summary>
    public async Task<bool> RevokeRefreshTokenAsync(string token, CancellationToken cancellationToken)
    {
        if (RefreshToken.Decode(token) is not { } bytes
            || await store.FindByRefreshTokenAsync(RefreshToken.Hash(bytes), cancellationToken) is not { } session)
        {
            return false;
        }

        await EndAsync(session, "its refresh token was revoked (RFC 7009)", cancellationToken);
        return true;
    }

    /// <summary>
    /// Ends every session of the user but <paramref name="keepSessionId"/> (a password change keeps the caller's).
    /// With <paramref name="everywhere"/> (logout everywhere) it first refuses, for every instance, all of the user's
    /// access tokens and sessions from before this second, including any it does not list.
    /// </summary>
    public async Task EndAllAsync(string userId, string? keepSessionId, bool everywhere, CancellationToken cancellationToken)
    {
        if (everywhere)
        {
            await revocations.RevokeUserAsync(userId, cancellationToken);
            SecurityEvents.LoggedOutEverywhere(logger, userId);
        }

        // Each session gets its own mark too: a refresh earlier in this second issued tokens the cut-off cannot reach.
        var sessions = (await store.ListAsync(userId, cancellationToken)).Where(s => s.Id != keepSessionId);
        await Parallel.ForEachAsync(
            sessions,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (session, ct) => await EndAsync(session, everywhere ? "logout everywhere" : "password change", ct));
    }

    private async Task EndAsync(Session session, string reason, CancellationToken cancellationToken)
    {
        // The mark first: from here the session's access tokens fail verify and its refresh tokens are refused.
        await revocations.EndSessionAsync(session.UserId, session.Id, cancellationToken);
        await RemoveAsync(session, cancellationToken);
        SecurityEvents.SessionEnded(logger, session.UserId, session.Id, reason);
    }

    private async Task RemoveAsync(Session session, CancellationToken cancellationToken)
    {
        for (Session? current = session; current is not null; current = await store.FindAsync(session.UserId, session.Id, cancellationToken))
        {
            if (await store.TryDeleteAsync(current, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> UserExistsAsync(Session session, CancellationToken cancellationToken) =>
        Username.TryCreate(session.Username, out var username, out _)
        && (await users.FindAsync(username!, cancellationToken))?.Id == session.UserId;

    private bool WithinReuseInterval(Session session, string hash, DateTimeOffset now)
    {
        var interval = options.Value.RefreshReuseInterval;
        return interval > TimeSpan.Zero
            && session.PreviousHash == hash
            && session.SealedSuccessor is not null
            && session.RotatedAt is { } rotatedAt
            && now - rotatedAt <= interval;
    }

    private IssuedToken Issue(Session session) => issuer.Issue(session.UserId, session.Username, session.Id, session.ExpiresAt);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>128 random bits, base64url: unguessable, and safe as a Table Storage key.</summary>
    private static string NewSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

}
