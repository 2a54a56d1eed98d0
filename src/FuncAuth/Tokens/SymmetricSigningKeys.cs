using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>HS256 with the configured key (validated at start-up to be base64 of at least 256 bits).</summary>
internal sealed class SymmetricSigningKeys : ISigningKeys
{
    public SymmetricSigningKeys(IOptions<TokenOptions> options)
    {
        var keyBytes = Convert.FromBase64String(options.Value.SigningKey!);

        // The key id lets a verifier pick the right key once keys rotate; a truncated hash reveals nothing usable.
        var key = new SymmetricSecurityKey(keyBytes) { KeyId = Base64Url.EncodeToString(SHA256.HashData(keyBytes).AsSpan(0, 12)) };
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
        ValidationKeys = [key];
    }

    public SigningCredentials SigningCredentials { get; }

    public IReadOnlyList<SecurityKey> ValidationKeys { get; }

    public IReadOnlyList<string> Algorithms { get; } = [SecurityAlgorithms.HmacSha256];
}
