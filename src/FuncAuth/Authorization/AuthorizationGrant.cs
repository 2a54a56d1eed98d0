namespace FuncAuth.Authorization;

/// <summary>
/// What an authorization code stands for, and is bound to: the client and redirect URI it was issued to, the PKCE code
/// challenge (S256), the nonce, the granted scopes (space-separated), the user, the browser session they signed in with,
/// when they signed in there and how (<c>amr</c>, RFC 8176).
/// </summary>
internal sealed record AuthorizationGrant(
    string ClientId,
    string RedirectUri,
    string CodeChallenge,
    string? Nonce,
    string Scope,
    string UserId,
    string Username,
    string BrowserSessionId,
    DateTimeOffset AuthTime,
    IReadOnlyList<string> Methods);
