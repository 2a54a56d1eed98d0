using Azure;

namespace FuncAuth.Sessions;

/// <summary>
/// A signed-in session: what a login starts and its refresh tokens continue. It knows its refresh tokens only by
/// hash: <see cref="CurrentHash"/> is the live one; <see cref="PreviousHash"/> the one spent at
/// <see cref="RotatedAt"/> (whose holder may still be racing, see the reuse interval); <see cref="Ancestors"/>
/// the older ones, kept so that presenting any of them is recognised as reuse. <see cref="Stamp"/> is the user's security
/// stamp its password was checked against (a different current stamp ends it); <see cref="EndedAt"/>, once set, ends it
/// for good, whatever happens to its rows afterwards. <see cref="Kind"/> says what started it: a password sign-in through the
/// API (<see cref="SessionKind.Direct"/>), the hosted sign-in page (<see cref="SessionKind.Browser"/>, the single-sign-on
/// session its cookie is bound to, which serves no refresh), or an authorization code exchanged by a registered client
/// (<see cref="SessionKind.Client"/>: <see cref="ClientId"/>, the granted <see cref="Scope"/>, the browser session it came
/// from, and when the user signed in there, <see cref="AuthTime"/>).
/// </summary>
internal sealed record Session(
    string UserId,
    string Id,
    string Username,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RefreshExpiresAt,
    string CurrentHash,
    string? PreviousHash,
    DateTimeOffset? RotatedAt,
    string? SealedSuccessor,
    IReadOnlyList<string> Ancestors,
    ETag ETag,
    string Stamp = "",
    DateTimeOffset? EndedAt = null,
    SessionKind Kind = SessionKind.Direct,
    string? ClientId = null,
    string? Scope = null,
    string? BrowserSessionId = null,
    DateTimeOffset? AuthTime = null,
    IReadOnlyList<string>? Methods = null)
{
    /// <summary>How the user signed in (RFC 8176 <c>amr</c>); a row from before methods were recorded was a password sign-in.</summary>
    public IReadOnlyList<string> AuthenticationMethods => Methods ?? Accounts.AuthenticationMethods.PasswordOnly;

    /// <summary>When the session ends if it is not used again: its idle expiry, or its absolute expiry if sooner.</summary>
    public DateTimeOffset UsableUntil => RefreshExpiresAt < ExpiresAt ? RefreshExpiresAt : ExpiresAt;

    /// <summary>Every refresh token hash the session still knows, newest first.</summary>
    public IEnumerable<string> AllHashes()
    {
        yield return CurrentHash;
        if (PreviousHash is not null)
        {
            yield return PreviousHash;
        }

        foreach (var ancestor in Ancestors)
        {
            yield return ancestor;
        }
    }
}

/// <summary>What started a session (see <see cref="Session.Kind"/>).</summary>
internal enum SessionKind
{
    /// <summary><c>login</c> or the password grant: the client holds its refresh token.</summary>
    Direct,

    /// <summary>The hosted sign-in page: single sign-on, bound to a cookie; it never serves a refresh.</summary>
    Browser,

    /// <summary>An authorization code exchanged by a registered client, within a browser session.</summary>
    Client,
}
