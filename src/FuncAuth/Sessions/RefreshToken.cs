using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FuncAuth.Sessions;

/// <summary>
/// Refresh tokens: 256 random bits, base64url, opaque. Storage keeps only their SHA-256 (the token is
/// unguessable, so a plain hash is enough: nothing in storage can be replayed), and, for the reuse interval, the
/// successor of the token just spent sealed with a key only that spent token yields (AES-GCM under
/// HKDF-SHA256 of it): a racing client that holds the parent recovers the same successor; storage alone cannot.
/// </summary>
internal static class RefreshToken
{
    public const int Bytes = 32;

    /// <summary>The length of a refresh token in base64url without padding.</summary>
    public const int Length = 43;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] SealInfo = Encoding.ASCII.GetBytes("FuncAuth refresh successor v1");

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The token's bytes, if it is exactly one of ours in form (43 base64url characters, canonical).</summary>
    public static byte[]? Decode(string? token)
    {
        if (token is null || token.Length != Length || !Base64Url.IsValid(token))
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(token);

        // The last character carries two spare bits: only the encoding we hand out is ours.
        return bytes.Length == Bytes && Base64Url.EncodeToString(bytes) == token ? bytes : null;
    }

    /// <summary>What storage keeps of a token: its SHA-256, base64url (a safe Table Storage key).</summary>
    public static string Hash(ReadOnlySpan<byte> token) => Base64Url.EncodeToString(SHA256.HashData(token));

    /// <summary>The hash of a token this app made (see <see cref="New"/>).</summary>
    public static string HashOf(string token) => Hash(Base64Url.DecodeFromChars(token));

    /// <summary><paramref name="successor"/> sealed under <paramref name="spent"/>, bound to the session.</summary>
    public static string Seal(string successor, ReadOnlySpan<byte> spent, string sessionId)
    {
        Span<byte> key = stackalloc byte[32];
        DeriveKey(spent, sessionId, key);
        var plaintext = Base64Url.DecodeFromChars(successor);
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), Encoding.UTF8.GetBytes(sessionId));
        return Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The successor sealed under <paramref name="spent"/>, or null when it was not (or was tampered with).</summary>
    public static string? Unseal(string sealedSuccessor, ReadOnlySpan<byte> spent, string sessionId)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(sealedSuccessor);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length != NonceBytes + Bytes + TagBytes)
        {
            return null;
        }

        Span<byte> key = stackalloc byte[32];
        DeriveKey(spent, sessionId, key);
        var plaintext = new byte[Bytes];
        using var aes = new AesGcm(key, TagBytes);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, Bytes), sealedBytes.AsSpan(NonceBytes + Bytes), plaintext, Encoding.UTF8.GetBytes(sessionId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Base64Url.EncodeToString(plaintext);
    }

    private static void DeriveKey(ReadOnlySpan<byte> spent, string sessionId, Span<byte> key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, spent, key, Encoding.UTF8.GetBytes(sessionId), SealInfo);
}
