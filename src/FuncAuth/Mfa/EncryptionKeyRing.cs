using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Mfa;

/// <summary>A secret as stored: the id of the key that sealed it and base64 of nonce ‖ ciphertext ‖ tag.</summary>
internal sealed record SealedSecret(string KeyId, string Ciphertext);

/// <summary>
/// Encrypts TOTP secrets with AES-256-GCM under <see cref="MfaOptions.EncryptionKey"/>, a key storage does not hold: a
/// reader of the table (a leaked SAS, a backup) gets no usable secret. Each ciphertext carries a random 96-bit nonce and the
/// id of its key, derived from the key itself (the first 8 bytes of its SHA-256, hex) so an operator never chooses ids and
/// a rotation is only "the new key here, the old one in PreviousEncryptionKeys". The associated data is the user id and the
/// row's kind: a ciphertext copied into another user's row, or from a pending row into an enabled one, does not decrypt.
/// </summary>
/// <remarks>
/// In Development with no key configured one is generated into the local data folder at first use (as the signing key is),
/// so a developer's enrolments survive a restart; anywhere else no key means TOTP is off on the deployment.
/// </remarks>
internal sealed class EncryptionKeyRing
{
    public const int KeyBytes = 32;
    public const string DevelopmentKeyFileName = "mfa-encryption-key";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly Lazy<Keys?> _keys;

    public EncryptionKeyRing(IOptions<MfaOptions> options, IHostEnvironment environment, IConfiguration configuration) =>
        _keys = new Lazy<Keys?>(() => Load(options.Value, environment, configuration), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether TOTP secrets can be sealed on this deployment (a key is configured, or this is Development).</summary>
    public bool IsConfigured => _keys.Value is not null;

    /// <summary>The key id <paramref name="key"/> gets: the first 8 bytes of its SHA-256, in hex.</summary>
    public static string IdOf(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(SHA256.HashData(key)[..8]);

    /// <summary>Base64 of exactly <see cref="KeyBytes"/> bytes, decoded.</summary>
    public static bool TryDecode(string? text, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length == KeyBytes;
    }

    /// <summary>Seals <paramref name="secret"/> for the row <paramref name="rowKind"/> of <paramref name="userId"/> under the current key.</summary>
    public SealedSecret Seal(ReadOnlySpan<byte> secret, string userId, string rowKind)
    {
        var keys = _keys.Value ?? throw new InvalidOperationException("No TOTP encryption key is configured (FuncAuth:Mfa:EncryptionKey).");
        var sealedBytes = new byte[NonceBytes + secret.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.Current.Bytes, TagBytes);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), AssociatedData(userId, rowKind));
        return new SealedSecret(keys.Current.Id, Convert.ToBase64String(sealedBytes));
    }

    /// <summary>
    /// The secret, or null when no configured key has the sealed one's id, or it does not decrypt for this user and row (a
    /// tampered or moved ciphertext). <paramref name="outdated"/>: sealed under a previous key, to be sealed again.
    /// </summary>
    public byte[]? Open(SealedSecret sealedSecret, string userId, string rowKind, out bool outdated)
    {
        outdated = false;
        if (_keys.Value is not { } keys || keys.Find(sealedSecret.KeyId) is not { } key)
        {
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedSecret.Ciphertext);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length <= NonceBytes + TagBytes)
        {
            return null;
        }

        var secret = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), secret, AssociatedData(userId, rowKind));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        outdated = !ReferenceEquals(key, keys.Current);
        return secret;
    }

    // The user id and the row kind, separated by a byte neither contains.
    private static byte[] AssociatedData(string userId, string rowKind) => Encoding.UTF8.GetBytes($"{userId}\n{rowKind}");

    private static Keys? Load(MfaOptions options, IHostEnvironment environment, IConfiguration configuration)
    {
        var current = options.EncryptionKey;
        if (string.IsNullOrWhiteSpace(current))
        {
            if (!environment.IsDevelopment())
            {
                return null;
            }

            var path = Path.Combine(LocalDataFolder.Resolve(environment, configuration), DevelopmentKeyFileName);
            current = LocalDataFolder.ReadOrCreateSecret(path, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes)));
        }

        // The validator refused malformed configured keys at start-up; a generated file someone edited is refused here.
        if (!TryDecode(current, out var currentKey))
        {
            throw new InvalidOperationException($"{MfaOptions.SectionName}:{nameof(MfaOptions.EncryptionKey)} must be base64 of exactly {KeyBytes} bytes.");
        }

        var previous = options.PreviousEncryptionKeys
            .Select(k => TryDecode(k, out var key) ? new KeyMaterial(IdOf(key), key) : throw new InvalidOperationException($"{MfaOptions.SectionName}:{nameof(MfaOptions.PreviousEncryptionKeys)} must hold base64 of exactly {KeyBytes} bytes each."))
            .ToList();
        return new Keys(new KeyMaterial(IdOf(currentKey), currentKey), previous);
    }

    private sealed record KeyMaterial(string Id, byte[] Bytes);

    private sealed record Keys(KeyMaterial Current, IReadOnlyList<KeyMaterial> Previous)
    {
        public KeyMaterial? Find(string id) => Current.Id == id ? Current : Previous.FirstOrDefault(k => k.Id == id);
    }
}
