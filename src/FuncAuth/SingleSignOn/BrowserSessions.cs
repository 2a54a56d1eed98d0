using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// Single sign-on: the hosted sign-in page starts a browser session (a real session in the Sessions table, listed by
/// <c>GET api/auth/sessions</c> and ended by logout everywhere) and binds an HttpOnly, Secure, SameSite=Lax cookie to it
/// (see <see cref="PageCookies"/> for its name and for plain HTTP on loopback). Lax, not Strict: the cookie must come with
/// the top-level navigation from a client's site to <c>api/auth/authorize</c>, or single sign-on would never happen; Lax
/// still keeps it off cross-site POSTs, frames and subresource requests. The cookie holds only the session's 256-bit
/// secret, whose hash is all storage keeps; it expires with the session.
/// </summary>
internal sealed class BrowserSessions(SessionService sessions, ILogger<BrowserSessions> logger)
{
    /// <summary>The live browser session the request's cookie is bound to, or null (no cookie, unknown, ended, expired).</summary>
    public Task<Session?> FindAsync(HttpRequest request, CancellationToken cancellationToken) =>
        PageCookies.Read(request, PageCookies.SessionName) is { Length: > 0 } secret
            ? sessions.FindBrowserAsync(secret, cancellationToken)
            : Task.FromResult<Session?>(null);

    /// <summary>Binds the response's browser to the session just started: the cookie with its secret, expiring with it.</summary>
    private static void Bind(HttpRequest request, SignIn browserSignIn) =>
        PageCookies.Write(request, PageCookies.SessionName, browserSignIn.RefreshToken, SameSiteMode.Lax, browserSignIn.Session.ExpiresAt);

    /// <summary>
    /// Binds the browser to the session its sign-in just started, ending the one its cookie named before, if still live,
    /// with every client session that came from it: a browser holds one single-sign-on session at a time, so a later
    /// end-session (or the next person at a shared computer) never leaves an earlier sign-in's apps signed in.
    /// </summary>
    public async Task RebindAsync(HttpRequest request, SignIn browserSignIn, CancellationToken cancellationToken)
    {
        if (await FindAsync(request, cancellationToken) is { } previous && previous.Id != browserSignIn.Session.Id)
        {
            var clients = await sessions.EndBrowserAsync(previous, "the browser signed in again");
            SecurityEvents.BrowserSessionEnded(logger, previous.UserId, previous.Id, clients);
        }

        Bind(request, browserSignIn);
    }

    /// <summary>Ends the browser session and every client session that came from it, and clears the cookie.</summary>
    public async Task EndAsync(HttpRequest request, Session browser, string reason)
    {
        var clients = await sessions.EndBrowserAsync(browser, reason);
        SecurityEvents.BrowserSessionEnded(logger, browser.UserId, browser.Id, clients);
        Clear(request);
    }

    public static void Clear(HttpRequest request) => PageCookies.Clear(request, PageCookies.SessionName, SameSiteMode.Lax);
}
