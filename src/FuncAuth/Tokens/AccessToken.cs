namespace FuncAuth.Tokens;

/// <summary>The claims of an access token that passed validation.</summary>
internal sealed record AccessToken(
    string TokenId,
    string Subject,
    string Username,
    string Issuer,
    string Audience,
    DateTimeOffset IssuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset Expires,
    string? SessionId = null,
    string? Scope = null,
    string? ClientId = null,
    IReadOnlyList<string>? Methods = null,
    IReadOnlyList<string>? Roles = null)
{
    /// <summary>
    /// A service client's token (the client credentials grant, RFC 6749 §4.4): it names no user, so it has no
    /// <c>username</c>, no session, and its <c>sub</c> is its <c>client_id</c>. Only such tokens lack a username.
    /// </summary>
    public bool IsServiceClient => Username.Length == 0;

    /// <summary>Whether the user held <paramref name="role"/> when the token was issued (its <c>roles</c> claim).</summary>
    public bool HasRole(string role) => Roles is not null && Roles.Contains(role, StringComparer.Ordinal);

    /// <summary>Whether the token was granted <paramref name="scope"/> (its <c>scope</c> claim, RFC 9068 §2.2.3).</summary>
    public bool HasScope(string scope) =>
        Scope is not null && Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

/// <summary>A freshly issued access token, ready for the wire.</summary>
internal sealed record IssuedToken(string Token, TimeSpan Lifetime);
