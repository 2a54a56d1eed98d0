using FuncAuth.Accounts;

namespace FuncAuth.Sessions;

/// <summary>
/// Browser sessions: the single-sign-on session the hosted sign-in page starts and binds to a cookie. The cookie's value is
/// a 256-bit secret of the refresh-token form (<see cref="RefreshToken"/>); only its SHA-256 is stored, as the session's
/// current hash, so the existing refresh-token index finds the session from the cookie with one point read. It never
/// rotates: the token endpoint refuses to refresh a browser session, and nothing here spends its hash. Its lifetime is
/// absolute (no sliding idle expiry: the cookie carries the same expiry), and its <see cref="Session.AuthTime"/> is when the
/// password was checked, which is what <c>max_age</c> is measured against.
/// </summary>
internal sealed partial class SessionService
{
    /// <summary>
    /// Starts a browser session for a user who just signed in by <paramref name="methods"/>; the <see cref="SignIn.RefreshToken"/>
    /// is the cookie's secret. The methods travel on to the codes it issues, and so to the client sessions and ID tokens.
    /// </summary>
    public async Task<SignIn> StartBrowserAsync(UserAccount account, IReadOnlyList<string> methods, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var secret = RefreshToken.New();
        // Not sliding (the cookie is never re-issued): it lasts as long as an unused refresh token would, within the
        // session lifetime. A user who comes back later signs in again.
        var expires = Earliest(now + options.Value.RefreshTokenLifetime, now + options.Value.SessionLifetime);
        var session = NewSession(account, NewSessionId(), secret, now, expires, expires) with { Kind = SessionKind.Browser, AuthTime = now, Methods = methods };
        await store.StartAsync(session, cancellationToken);
        return new SignIn(Issue(session, account.RoleNames), secret, session);
    }

    /// <summary>
    /// The live browser session whose cookie secret is <paramref name="secret"/>: of the browser kind, the secret its
    /// current one, not ended, not expired, not marked ended for every instance, and checked against the user's current
    /// security stamp (a password change, reset or logout everywhere ends it) and account (a disabled one has none). Null otherwise.
    /// </summary>
    public async Task<Session?> FindBrowserAsync(string? secret, CancellationToken cancellationToken)
    {
        if (RefreshToken.Decode(secret) is not { } bytes)
        {
            return null;
        }

        var hash = RefreshToken.Hash(bytes);
        var session = await store.FindByRefreshTokenAsync(hash, cancellationToken);
        if (session is null || session.Kind != SessionKind.Browser || session.CurrentHash != hash || session.EndedAt is not null
            || time.GetUtcNow() >= session.UsableUntil)
        {
            return null;
        }

        if (await revocations.IsSessionEndedAsync(session.UserId, session.Id, session.CreatedAt, cancellationToken)
            || !await StampStillValidAsync(session, cancellationToken))
        {
            return null;
        }

        return session;
    }

    /// <summary>
    /// Ends a browser session and every client session started from it (codes it issued, exchanged by registered clients).
    /// Answers how many client sessions ended. Not under the request's cancellation: a sign-out that has begun finishes.
    /// </summary>
    public Task<int> EndBrowserAsync(Session browser, string reason) => EndAsync(browser, reason);

    /// <summary>
    /// The client sessions of an ended browser session, each through the ordinary end (row, revocation mark, removal), so
    /// their access tokens are refused everywhere; the browser session ends first, so no new code can come from it.
    /// </summary>
    private async Task<int> EndClientSessionsOfAsync(Session browser)
    {
        var clients = (await store.ListAsync(browser.UserId, CancellationToken.None))
            .Where(s => s.Kind == SessionKind.Client && string.Equals(s.BrowserSessionId, browser.Id, StringComparison.Ordinal) && s.EndedAt is null)
            .ToList();
        await Parallel.ForEachAsync(
            clients,
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (session, _) => await EndOneAsync(session, "its browser session ended"));
        return clients.Count;
    }
}
