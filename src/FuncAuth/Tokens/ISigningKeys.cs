using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>
/// The one seam between tokens and keys: what signs new tokens, and what validation accepts.
/// Today an HS256 key from configuration; an asymmetric key (and a JWKS) can follow behind it.
/// </summary>
internal interface ISigningKeys
{
    SigningCredentials SigningCredentials { get; }

    IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>The only algorithms validation accepts (RFC 8725 §3.1: never what the token says).</summary>
    IReadOnlyList<string> Algorithms { get; }
}
