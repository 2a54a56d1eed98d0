using FuncAuth.Accounts;
using FuncAuth.Authorization;
using FuncAuth.Security;

namespace FuncAuth.Sessions;

/// <summary>
/// Client sessions: what redeeming an authorization code starts (<see cref="SessionKind.Client"/>). Each code exchange
/// starts its own session with its own refresh-token chain, so two clients of one browser session never rotate (or, by
/// reuse detection, end) each other's tokens. It records the browser session it came from, so ending that one (end-session)
/// ends it too, and the user's current security stamp, so a password change, reset or logout everywhere ends it as any
/// other session.
/// </summary>
internal sealed partial class SessionService
{
    /// <summary>
    /// Starts the client session <paramref name="sessionId"/> (the id the code's redemption recorded) for the grant's user,
    /// or null when the user is gone, renamed or disabled, or the browser session the code came from is no longer live. As a password
    /// sign-in does, it writes the session first and then looks again: a password change or an end-session racing the
    /// exchange either sees this session in its sweep, or this second look sees its effect and ends the session at once.
    /// </summary>
    public async Task<ClientSignIn?> StartForClientAsync(AuthorizationGrant grant, string sessionId, CancellationToken cancellationToken)
    {
        if (await LiveAccountOfAsync(grant, cancellationToken) is not { } account
            || !await BrowserSessionLiveAsync(grant, account, cancellationToken))
        {
            return null;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var refreshToken = RefreshToken.New();
        var expires = now + settings.SessionLifetime;
        var session = NewSession(account, sessionId, refreshToken, now, expires, Earliest(now + settings.RefreshTokenLifetime, expires)) with
        {
            Kind = SessionKind.Client,
            ClientId = grant.ClientId,
            Scope = grant.Scope,
            BrowserSessionId = grant.BrowserSessionId,
            AuthTime = grant.AuthTime,
            Methods = grant.Methods,
        };

        // From here nothing runs under the request's cancellation: no half-made session behind the second look.
        await store.StartAsync(session, CancellationToken.None);
        if (await LiveAccountOfAsync(grant, CancellationToken.None) is not { } again
            || !string.Equals(again.SecurityStamp, account.SecurityStamp, StringComparison.Ordinal)
            || !await BrowserSessionLiveAsync(grant, again, CancellationToken.None))
        {
            await EndAsync(session, "its account or browser session changed during the code exchange");
            return null;
        }

        // The roles as the second look read them: the freshest read of the account this exchange made.
        return new ClientSignIn(new SignIn(Issue(session, again.RoleNames), refreshToken, session), again);
    }

    /// <summary>A new session id, for the session a code redemption records before it starts it.</summary>
    public static string NewClientSessionId() => NewSessionId();

    /// <summary>
    /// A code presented a second time: the session its first redemption started ends (its refresh tokens stop working,
    /// its access tokens fail verify). When its row is not (yet) there, because the first redeemer is still starting it,
    /// the revocation mark alone is written: it refuses the session's tokens and refreshes whenever it appears.
    /// </summary>
    public async Task EndForReusedCodeAsync(string userId, string sessionId)
    {
        SecurityEvents.AuthorizationCodeReused(logger, userId, sessionId);
        if (await store.FindAsync(userId, sessionId, CancellationToken.None) is { } session)
        {
            await EndAsync(session, "its authorization code was used again");
        }
        else
        {
            await revocations.EndSessionAsync(userId, sessionId, CancellationToken.None);
            SecurityEvents.SessionEnded(logger, userId, sessionId, "its authorization code was used again");
        }
    }

    /// <summary>
    /// Whether a refresh of <paramref name="session"/> may go on for the client <paramref name="clientId"/> (the
    /// authenticated client, or a public client's <c>client_id</c>; null for none): a direct session as before, whoever
    /// asks; a client session only for its own client; a browser session never (its cookie is its only credential).
    /// </summary>
    private static bool MayRefresh(Session session, string? clientId) => session.Kind switch
    {
        SessionKind.Direct => true,
        SessionKind.Client => clientId is not null && string.Equals(session.ClientId, clientId, StringComparison.Ordinal),
        _ => false,
    };

    private async Task<UserAccount?> LiveAccountOfAsync(AuthorizationGrant grant, CancellationToken cancellationToken) =>
        Username.TryCreate(grant.Username, out var username, out _)
        && await users.FindAsync(username!, cancellationToken) is { Disabled: false } account
        && account.Id == grant.UserId
            ? account
            : null;

    /// <summary>The browser session the code came from: still there, not ended, not expired, and of the user's current stamp.</summary>
    private async Task<bool> BrowserSessionLiveAsync(AuthorizationGrant grant, UserAccount account, CancellationToken cancellationToken) =>
        await store.FindAsync(grant.UserId, grant.BrowserSessionId, cancellationToken) is { Kind: SessionKind.Browser, EndedAt: null } browser
        && time.GetUtcNow() < browser.ExpiresAt
        && string.Equals(browser.Stamp, account.SecurityStamp, StringComparison.Ordinal)
        && !await revocations.IsSessionEndedAsync(browser.UserId, browser.Id, browser.CreatedAt, cancellationToken);
}

/// <summary>A started client session's tokens, and the account as read when it started (for the ID token's claims).</summary>
internal sealed record ClientSignIn(SignIn SignIn, UserAccount Account);
