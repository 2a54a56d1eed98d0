using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// Single sign-on: the hosted sign-in page starts a browser session (a real session in the Sessions table) and binds an
/// HttpOnly, Secure, SameSite=Lax cookie to it.
/// </summary>
internal sealed class BrowserSessions
{
    /// <summary>The live browser session the request's cookie is bound to, or null (no cookie, unknown, ended, expired).</summary>
    public Task<Session?> FindAsync(HttpRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
