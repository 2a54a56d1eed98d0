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
    IReadOnlyList<string>? Methods = null)
{
    /// <summary>Whether the token was granted <paramref name="scope"/> (its <c>scope</c> claim, RFC 9068 §2.2.3).</summary>
    public bool HasScope(string scope) =>
        Scope is not null && Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal);
}

/// <summary>A freshly issued access token, ready for the wire.</summary>
internal sealed record IssuedToken(string Token, TimeSpan Lifetime);
