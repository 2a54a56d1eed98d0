namespace FuncAuth.Tokens;

/// <summary>How access tokens are issued and validated: <c>FuncAuth:Tokens</c>.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "FuncAuth:Tokens";

    /// <summary>
    /// <c>iss</c> of issued tokens and the only one accepted. When it is the app's base URL (the default in
    /// Azure), <c>{Issuer}/.well-known/openid-configuration</c> is where verifiers find the keys.
    /// </summary>
    public string Issuer { get; set; } = "funcauth";

    public string Audience { get; set; } = "funcauth";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tolerance for clocks that disagree, applied to <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The active key, which signs new tokens: base64 of at least 32 random bytes (HS256), a PEM private key
    /// (EC P-256 → ES256, RSA ≥ 2048 bits → RS256) or a private JWK. Required outside Development.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Keys that no longer sign but still validate (rotation), in the same forms.</summary>
    public IList<string> PreviousSigningKeys { get; } = [];

    /// <summary>How many validated tokens are remembered (until they expire) so verifying one again is a lookup; 0 turns it off.</summary>
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>How long clients may cache the JWKS and the discovery documents.</summary>
    public TimeSpan KeySetCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
