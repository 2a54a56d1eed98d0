using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>
/// One configured key: what it signs or validates with, the one algorithm it may be used with, and (for
/// an asymmetric key) its public half as published in the JWKS. The key id travels in every token header.
/// </summary>
internal sealed class SigningKey
{
    public SigningKey(SecurityKey securityKey, string algorithm, JsonWebKey? publicKey)
    {
        SecurityKey = securityKey;
        Algorithm = algorithm;
        PublicKey = publicKey;
    }

    public SecurityKey SecurityKey { get; }

    /// <summary><c>HS256</c>, <c>ES256</c> or <c>RS256</c>: it follows from the key, never from a token.</summary>
    public string Algorithm { get; }

    /// <summary>The public JWK (public parameters only) to publish; null for a symmetric key, which is never published.</summary>
    public JsonWebKey? PublicKey { get; }

    public string KeyId => SecurityKey.KeyId;
}
