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
    string? SessionId = null);

/// <summary>A freshly issued access token, ready for the wire.</summary>
internal sealed record IssuedToken(string Token, TimeSpan Lifetime);
