using System.Buffers.Text;
using System.Security.Cryptography;
using FuncAuth.Accounts;
using FuncAuth.Revocation;
using FuncAuth.Security;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Sessions;

/// <summary>
/// Sessions: started by a login, continued by rotating refresh tokens, ended by logout, revocation, reuse, a password
/// change or the account's deletion. Every race between refreshes is decided by the table (ETag-conditional replace), so
/// however many requests present one refresh token at once, exactly one successor is ever created. Ending a session is
/// three steps, in this order: the row records <see cref="Session.EndedAt"/> (conditionally, so a rotation in between is
/// ended too), then the revocation mark refuses its access tokens on every instance, then its rows are removed in the
/// background. Whatever fails after the first step, the session never serves a refresh again; a retry of a half-failed
/// logout still finds its access token valid and can finish. A session is also over when its user's security stamp is no
/// longer the one its password was checked against.
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

    /// <summary>Starts a session for a user who just signed in by <paramref name="methods"/> (RFC 8176 <c>amr</c>).</summary>
    public async Task<SignIn> StartAsync(UserAccount account, IReadOnlyList<string> methods, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var refreshToken = RefreshToken.New();
        var expires = now + settings.SessionLifetime;
        var session = NewSession(account, NewSessionId(), refreshToken, now, expires, Earliest(now + settings.RefreshTokenLifetime, expires)) with
        {
            Methods = methods,
        };
        await store.StartAsync(session, cancellationToken);
        return new SignIn(Issue(session, account.RoleNames), refreshToken, session);
    }

    /// <summary>
    /// Spends a refresh token for new tokens of its session (see <see cref="RefreshOutcome"/>). <paramref name="clientId"/>
    /// is the client asking (authenticated, or a public client's <c>client_id</c>): a client session refreshes only for its
    /// own client, a browser session never (see SessionService.Clients.cs).
    /// </summary>
    public async Task<(RefreshOutcome Outcome, SignIn? SignIn)> RefreshAsync(string? presented, CancellationToken cancellationToken, string? clientId = null)
    {
        if (RefreshToken.Decode(presented) is not { } spent)
        {
            return (RefreshOutcome.Invalid, null);
        }

        var hash = RefreshToken.Hash(spent);
        var session = await store.FindByRefreshTokenAsync(hash, cancellationToken);

        // The roles the new access token carries: the account's as read by this refresh's stamp check (one read), so a role
        // granted or taken away reaches the user's next refresh. A lost race re-reads the session, not the account.
        IReadOnlyList<string> roles = [];
        for (var attempt = 0; session is not null && attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var (refusal, account) = await RefuseAsync(session, checkAccount: attempt == 0, now, cancellationToken);
            if (refusal is not null)
            {
                return (refusal.Value, null);
            }

            roles = account?.RoleNames ?? roles;

            // Before anything is spent: another client (or a browser cookie's session) must not rotate this chain.
            if (!MayRefresh(session, clientId))
            {
                return (RefreshOutcome.Invalid, null);
            }

            if (session.CurrentHash != hash)
            {
                return await SpentTokenPresentedAsync(session, spent, hash, now, roles);
            }

            if (now >= session.RefreshExpiresAt)
            {
                return (RefreshOutcome.Expired, null);
            }

            var (rotated, successor) = Rotate(session, spent, hash, now);
            if (await TrySaveRotationAsync(rotated, cancellationToken))
            {
                return (RefreshOutcome.Refreshed, new SignIn(Issue(rotated, roles), successor, rotated));
            }

            // Someone else changed the session first (most likely a racing refresh of this very token): look again.
            session = await store.FindAsync(session.UserId, session.Id, cancellationToken);
        }

        return (RefreshOutcome.Invalid, null);
    }

    /// <summary>
    /// Why the session can serve no refresh at all (null when it can), and with <paramref name="checkAccount"/> the account as
    /// read for the check (whose roles the new token carries).
    /// </summary>
    private async Task<(RefreshOutcome? Refusal, UserAccount? Account)> RefuseAsync(
        Session session, bool checkAccount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Ended is ended, whatever became of the revocation mark or of removing the rows.
        if (session.EndedAt is not null)
        {
            return (RefreshOutcome.Invalid, null);
        }

        if (now >= session.ExpiresAt)
        {
            return (RefreshOutcome.Expired, null);
        }

        // A session whose end is marked for every instance but not (yet) in its row.
        if (await revocations.IsSessionEndedAsync(session.UserId, session.Id, session.CreatedAt, cancellationToken))
        {
            return (RefreshOutcome.Invalid, null);
        }

        if (!checkAccount)
        {
            return (null, null);
        }

        // No new tokens for a user who is gone (removed by an operator, say), whose name is now someone else's, or whose
        // password changed (or who logged out everywhere) since this session's password was checked. Once per refresh:
        // a lost race to rotate reads the session again, not the account.
        var account = await CurrentAccountAsync(session.UserId, session.Username, cancellationToken);
        if (account is null || !string.Equals(account.SecurityStamp, session.Stamp, StringComparison.Ordinal))
        {
            await EndAsync(session, "its user is gone or its security stamp changed");
            return (RefreshOutcome.Invalid, null);
        }

        // Disabling an account rotates its stamp in the same write (UserStore.TryUpdateAdministrationAsync), so the check
        // above already refuses; this one holds even for a row disabled some other way (belt and braces).
        if (account.Disabled)
        {
            SecurityEvents.SignInRefusedAccountDisabled(logger, account.Id);
            await EndAsync(session, "its account is disabled");
            return (RefreshOutcome.Invalid, null);
        }

        return (null, account);
    }

    /// <summary>
    /// The session after spending its current refresh token: a new one (the successor), the spent one remembered as the
    /// previous (with the successor sealed to it, for the reuse interval) and older ones as ancestors, up to the limit.
    /// </summary>
    private (Session Rotated, string Successor) Rotate(Session session, byte[] spent, string hash, DateTimeOffset now)
    {
        var successor = RefreshToken.New();
        var ancestors = session.PreviousHash is null ? session.Ancestors : [session.PreviousHash, .. session.Ancestors];
        var rotated = session with
        {
            LastUsedAt = now,
            RefreshExpiresAt = Earliest(now + options.Value.RefreshTokenLifetime, session.ExpiresAt),
            CurrentHash = RefreshToken.HashOf(successor),
            PreviousHash = hash,
            RotatedAt = now,
            SealedSuccessor = RefreshToken.Seal(successor, spent, session.Id),
            Ancestors = ancestors,
        };
        return (rotated, successor);
    }

    /// <summary>
    /// Stores the rotation if nobody changed the session since it was read (the table decides every race). The successor is
    /// findable before the session names it, so whoever ends the session next (reading the rotated row) removes its index
    /// too; a loser of the race removes its own, leaving nothing behind.
    /// </summary>
    private async Task<bool> TrySaveRotationAsync(Session rotated, CancellationToken cancellationToken)
    {
        var forgotten = rotated.Ancestors.Skip(SessionStore.MaxAncestors).ToList();
        rotated = rotated with { Ancestors = [.. rotated.Ancestors.Take(SessionStore.MaxAncestors)] };
        await store.AddRefreshTokenAsync(rotated, rotated.CurrentHash, cancellationToken);
        if (!await store.TryReplaceAsync(rotated, cancellationToken))
        {
            await store.ForgetRefreshTokensAsync([rotated.CurrentHash], cancellationToken);
            return false;
        }

        if (forgotten.Count > 0)
        {
            await store.ForgetRefreshTokensAsync(forgotten, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// A refresh token the session has already spent: within the reuse interval right after its rotation, a race (the same
    /// successor again, so racing clients converge); otherwise one of its holders is not who the session belongs to, and
    /// the session ends for all (RFC 9700 §4.14.2).
    /// </summary>
    private async Task<(RefreshOutcome Outcome, SignIn? SignIn)> SpentTokenPresentedAsync(
        Session session, byte[] spent, string hash, DateTimeOffset now, IReadOnlyList<string> roles)
    {
        if (WithinReuseInterval(session, hash, now) && RefreshToken.Unseal(session.SealedSuccessor!, spent, session.Id) is { } sameSuccessor)
        {
            return (RefreshOutcome.Refreshed, new SignIn(Issue(session, roles), sameSuccessor, session));
        }

        SecurityEvents.RefreshTokenReused(logger, session.UserId, session.Id);
        await EndAsync(session, "refresh token reuse");
        return (RefreshOutcome.Reused, null);
    }

    /// <summary>The user's sessions that are still usable, as of now: not ended, and checked against the user's current stamp.</summary>
    public async Task<List<Session>> ListActiveAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = new List<Session>();
        var stored = await store.ListAsync(userId, cancellationToken);
        if (stored.Count == 0 || await CurrentStampAsync(userId, stored[0].Username, cancellationToken) is not { } stamp)
        {
            return active;
        }

        foreach (var session in stored)
        {
            if (session.EndedAt is null && string.Equals(session.Stamp, stamp, StringComparison.Ordinal) && now < session.UsableUntil
                && !await revocations.IsSessionEndedAsync(userId, session.Id, session.CreatedAt, cancellationToken))
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

        await EndAsync(session, "ended by its user");

        return true;
    }

    /// <summary>
    /// Logout: ends the token's session (its mark is written even when the session's rows are already gone, so the
    /// token is refused in any case), or with <paramref name="everywhere"/> rotates the user's security stamp, refuses
    /// every access token issued before now and ends every session.
    /// </summary>
    public async Task LogOutAsync(AccessToken token, bool everywhere, CancellationToken cancellationToken)
    {
        if (everywhere)
        {
            SecurityEvents.LoggedOutEverywhere(logger, token.Subject);
            await EndEverywhereAsync(Username.TryCreate(token.Username, out var username, out _) ? username : null, token.Subject, "logout everywhere");
        }
        else if (token.SessionId is { } sessionId)
        {
            if (await store.FindAsync(token.Subject, sessionId, cancellationToken) is { } session)
            {
                await EndAsync(session, "logout");
            }
            else
            {
                await revocations.EndSessionAsync(token.Subject, sessionId, CancellationToken.None);
                SecurityEvents.SessionEnded(logger, token.Subject, sessionId, "logout");
            }
        }
        else
        {
            // Every token FuncAuth issues names its session; one without is revoked alone, for robustness only.
            await revocations.RevokeAsync(token, CancellationToken.None);
        }
    }

    /// <summary>
    /// Signs the user out everywhere (logout everywhere, or an administrator's doing): the stamp first (durable: refresh and
    /// sign-in compare it), then the cut-off, then each session. Not under the request's cancellation: once begun, it finishes.
    /// </summary>
    public async Task EndEverywhereAsync(Username? username, string userId, string reason)
    {
        if (username is not null)
        {
            await users.RotateStampAsync(username, userId, CancellationToken.None);
        }

        await EndAllAsync(userId, keepSessionId: null, reason);
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

        // An ended session is ended again (idempotent): a revoke retried after a half-failed one finishes it.
        await EndAsync(session, "its refresh token was revoked (RFC 7009)");
        return session.EndedAt is null;
    }

    /// <summary>
    /// Ends everything of the user but the session <paramref name="keepSessionId"/>: first the user's cut-off (every access
    /// token issued before now but that session's is refused), then every other session, each with its own mark too, which
    /// covers tokens issued earlier in the cut-off's own second. The caller rotates the user's stamp before (see
    /// <see cref="PasswordSignIn"/>). Not under the request's cancellation: once begun, it finishes.
    /// </summary>
    public async Task EndAllAsync(string userId, string? keepSessionId, string reason)
    {
        await revocations.RevokeUserAsync(userId, keepSessionId, CancellationToken.None);
        var sessions = (await store.ListAsync(userId, CancellationToken.None)).Where(s => s.Id != keepSessionId);
        await Parallel.ForEachAsync(
            sessions,
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (session, _) => await EndOneAsync(session, reason));
    }

    /// <summary>
    /// After a password change, the caller's session takes the new stamp, so it stays (conditional replace, re-read and
    /// retried; an ended or missing session is left as it is).
    /// </summary>
    public async Task AdoptStampAsync(string userId, string sessionId, string stamp)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var session = await store.FindAsync(userId, sessionId, CancellationToken.None);
            if (session is null || session.EndedAt is not null || string.Equals(session.Stamp, stamp, StringComparison.Ordinal))
            {
                return;
            }

            if (await store.TryReplaceAsync(session with { Stamp = stamp }, CancellationToken.None))
            {
                return;
            }
        }

        throw new StorageUnavailableException("The session could not take the account's new security stamp: it kept changing.");
    }

    /// <summary>Ends a session a sign-in has just started, when the account changed while its password was checked.</summary>
    public Task EndStartedAsync(Session session) => EndAsync(session, "its account changed during sign-in");

    /// <summary>
    /// Ends a session, whatever ends it; a browser session takes the client sessions started from it along (see
    /// SessionService.Browser.cs). Answers how many client sessions ended with it.
    /// </summary>
    private async Task<int> EndAsync(Session session, string reason)
    {
        await EndOneAsync(session, reason);
        return session.Kind == SessionKind.Browser ? await EndClientSessionsOfAsync(session) : 0;
    }

    /// <summary>
    /// Ends one session: (a) the row records it, (b) the revocation mark, (c) the rows removed in the background. Not under
    /// the request's cancellation: a client that hangs up halfway must not leave the session usable.
    /// </summary>
    private async Task EndOneAsync(Session session, string reason)
    {
        var ended = await MarkEndedAsync(session);
        await revocations.EndSessionAsync(session.UserId, session.Id, CancellationToken.None);
        SecurityEvents.SessionEnded(logger, session.UserId, session.Id, reason);
        if (ended is not null)
        {
            RemoveInBackground(ended);
        }
    }

    /// <summary>Marks the session ended (re-read and retried when it changed); answers it as ended, or null when it is gone.</summary>
    private async Task<Session?> MarkEndedAsync(Session session)
    {
        // A session this instance has just started (a sign-in's second look, a code exchange's) was written, not read: it
        // has no ETag to be conditional on yet, so it is read first.
        Session? current = session.ETag == default ? await store.FindAsync(session.UserId, session.Id, CancellationToken.None) : session;
        for (var attempt = 0; current is not null && attempt < MaxAttempts; attempt++)
        {
            if (current.EndedAt is not null)
            {
                return current;
            }

            var at = time.GetUtcNow();
            if (await store.TryMarkEndedAsync(current, at, CancellationToken.None))
            {
                return current with { EndedAt = at };
            }

            current = await store.FindAsync(current.UserId, current.Id, CancellationToken.None);
        }

        return current is null
            ? null
            : throw new StorageUnavailableException("The session could not be marked ended: it kept changing.");
    }

    /// <summary>
    /// Removes an ended session's rows without making anyone wait: a failure here only delays the space being freed (the
    /// purge removes ended sessions too), never what the session can do, since it is already ended.
    /// </summary>
    private void RemoveInBackground(Session ended) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await store.RemoveEndedAsync(ended, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogRemovalFailed(logger, ended.Id, e);
            }
        });

    /// <summary>Whether the session's user is still there, under its name, enabled, and with the stamp the session recorded.</summary>
    private async Task<bool> StampStillValidAsync(Session session, CancellationToken cancellationToken) =>
        await CurrentAccountAsync(session.UserId, session.Username, cancellationToken) is { Disabled: false } account
        && string.Equals(account.SecurityStamp, session.Stamp, StringComparison.Ordinal);

    /// <summary>The security stamp of the user <paramref name="userId"/> named <paramref name="name"/>, or null when the name is no longer theirs.</summary>
    private async Task<string?> CurrentStampAsync(string userId, string name, CancellationToken cancellationToken) =>
        (await CurrentAccountAsync(userId, name, cancellationToken))?.SecurityStamp;

    /// <summary>The account of the user <paramref name="userId"/> named <paramref name="name"/>, or null when the name is no longer theirs.</summary>
    private async Task<UserAccount?> CurrentAccountAsync(string userId, string name, CancellationToken cancellationToken) =>
        Username.TryCreate(name, out var username, out _) && await users.FindAsync(username!, cancellationToken) is { } user && user.Id == userId
            ? user
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The rows of ended session {SessionId} could not be removed now; it stays ended, and the purge removes them later.")]
    private static partial void LogRemovalFailed(ILogger logger, string sessionId, Exception exception);

    private bool WithinReuseInterval(Session session, string hash, DateTimeOffset now)
    {
        var interval = options.Value.RefreshReuseInterval;
        return interval > TimeSpan.Zero
            && session.PreviousHash == hash
            && session.SealedSuccessor is not null
            && session.RotatedAt is { } rotatedAt
            && now - rotatedAt <= interval;
    }

    /// <summary>An access token of the session, carrying <paramref name="roles"/>: the user's roles as the caller just read the account.</summary>
    private IssuedToken Issue(Session session, IReadOnlyList<string> roles) =>
        issuer.Issue(session.UserId, session.Username, session.Id, session.ExpiresAt, session.ClientId, session.Scope, session.AuthenticationMethods, roles);

    /// <summary>A new session of the user, whose first refresh token (or cookie secret) it knows only by hash.</summary>
    private static Session NewSession(
        UserAccount account, string id, string refreshToken, DateTimeOffset now, DateTimeOffset expires, DateTimeOffset refreshExpires) =>
        new(
            account.Id,
            id,
            account.Username,
            CreatedAt: now,
            LastUsedAt: now,
            ExpiresAt: expires,
            RefreshExpiresAt: refreshExpires,
            CurrentHash: RefreshToken.HashOf(refreshToken),
            PreviousHash: null,
            RotatedAt: null,
            SealedSuccessor: null,
            Ancestors: [],
            ETag: default,
            Stamp: account.SecurityStamp);

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>128 random bits, base64url: unguessable, and safe as a Table Storage key.</summary>
    private static string NewSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

}
