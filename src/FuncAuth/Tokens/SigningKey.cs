using System.Buffers;
using System.Buffers.Text;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>
/// One configured key: what it signs or validates with, the one algorithm it may be used with, and (for
/// an asymmetric key) its public half as published in the JWKS. The key id travels in every token header.
/// </summary>
internal sealed class SigningKey
{
    private readonly Lazy<SignatureProvider> _verifier;

    public SigningKey(SecurityKey securityKey, string algorithm, JsonWebKey? publicKey)
    {
        SecurityKey = securityKey;
        Algorithm = algorithm;
        PublicKey = publicKey;

        // The library's provider for this key and algorithm only; it pools what is not thread-safe.
        _verifier = new(() => CryptoProviderFactory.Default.CreateForVerifying(securityKey, algorithm));
        SignatureLength = securityKey switch
        {
            RsaSecurityKey rsa => rsa.Rsa.KeySize / 8,
            ECDsaSecurityKey => 64, // P-256: r and s, 32 bytes each (RFC 7518 §3.4)
            _ => 32, // HMAC-SHA256
        };
    }

    /// <summary>The size of every signature this key makes; any other size is refused before any cryptography.</summary>
    public int SignatureLength { get; }

    public SecurityKey SecurityKey { get; }

    /// <summary><c>HS256</c>, <c>ES256</c> or <c>RS256</c>: it follows from the key, never from a token.</summary>
    public string Algorithm { get; }

    /// <summary>The public JWK (public parameters only) to publish; null for a symmetric key, which is never published.</summary>
    public JsonWebKey? PublicKey { get; }

    public string KeyId => SecurityKey.KeyId;

    /// <summary>Whether the compact JWS <paramref name="token"/> carries this key's signature over its first two parts.</summary>
    public bool HasSigned(string token)
    {
        var dot = token.LastIndexOf('.');
        var encodedSignature = token.AsSpan(dot + 1);
        if (dot <= 0 || encodedSignature.IsEmpty)
        {
            return false;
        }

        var input = ArrayPool<byte>.Shared.Rent(dot);
        var signature = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encodedSignature.Length));
        try
        {
            // A compact JWS is ASCII; anything else cannot carry a valid signature.
            for (var i = 0; i < dot; i++)
            {
                if (token[i] > 0x7F)
                {
                    return false;
                }

                input[i] = (byte)token[i];
            }

            return Base64Url.DecodeFromChars(encodedSignature, signature, out var consumed, out var length) == OperationStatus.Done
                && consumed == encodedSignature.Length
                && length == SignatureLength
                && IsCanonical(encodedSignature, signature.AsSpan(0, length))
                && _verifier.Value.Verify(input, 0, dot, signature, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(signature);
        }
    }

    // The last base64url character can carry unused bits: only the one spelling of a signature counts, so no
    // two different token strings share a signature (and one validated token never vouches for another).
    private static bool IsCanonical(ReadOnlySpan<char> encoded, ReadOnlySpan<byte> decoded)
    {
        Span<char> canonical = stackalloc char[Base64Url.GetEncodedLength(decoded.Length)];
        return Base64Url.TryEncodeToChars(decoded, canonical, out var written) && canonical[..written].SequenceEqual(encoded);
    }
}
