using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

internal enum PasswordCheck
{
    Failed,
    Succeeded,
    SucceededButOutdated,
}

/// <summary>
/// PBKDF2-HMAC-SHA256 in a self-describing string, <c>$pbkdf2-sha256$i=600000$salt$hash</c> (PHC style,
/// base64url), so the cost can be raised later and old hashes upgraded at the next login.
/// </summary>
internal sealed class PasswordHasher
{
    /// <summary>
    /// The stored hash of an account with no usable password (an imported user whose system had none): no format, so every
    /// check of it fails at the cost of a wrong password, and a password reset sets a real one.
    /// </summary>
    public const string NoPassword = "!";

    private const string Prefix = "$pbkdf2-sha256$i=";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // A stored hash names its own cost; refuse absurd ones so a corrupted row cannot stall a request.
    private const int MaxIterations = 10_000_000;

    // Salt for the dummy work done for unknown users, so they cost what a wrong password costs.
    private static readonly byte[] DummySalt = RandomNumberGenerator.GetBytes(SaltBytes);

    private readonly IOptions<PasswordOptions> _options;
    private readonly Func<string, byte[], int, byte[]> _derive;

    public PasswordHasher(IOptions<PasswordOptions> options)
        : this(options, Pbkdf2)
    {
    }

    /// <summary>With another derivation function: tests count the work through it.</summary>
    internal PasswordHasher(IOptions<PasswordOptions> options, Func<string, byte[], int, byte[]> derive)
    {
        _options = options;
        _derive = derive;
    }

    private int Iterations => _options.Value.Iterations;

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = _derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${Encode(salt)}${Encode(hash)}");
    }

    /// <summary>
    /// Checks the password. Every refusal costs at least the configured work, as an unknown user does (see
    /// <see cref="VerifyNothing"/>), so timing tells no one which names have an account, even one whose stored
    /// hash is older and cheaper, or malformed.
    /// </summary>
    public PasswordCheck Verify(string password, string storedHash)
    {
        if (!TryParse(storedHash, out var iterations, out var salt, out var expected))
        {
            VerifyNothing(password);
            return PasswordCheck.Failed;
        }

        var actual = _derive(password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            if (iterations < Iterations)
            {
                _derive(password, DummySalt, Iterations - iterations);
            }

            return PasswordCheck.Failed;
        }

        return iterations < Iterations ? PasswordCheck.SucceededButOutdated : PasswordCheck.Succeeded;
    }

    /// <summary>
    /// Checks the password against another system's hash (<see cref="ForeignPasswordHashes"/>), or null when the stored hash is
    /// not one. Those systems hashed the password as the user typed it, FuncAuth hashes its normalised form: the text as sent
    /// is tried first, then the normalised text when it differs; a success is always outdated, so the sign-in rewrites the hash
    /// in FuncAuth's format from the normalised text. A wrong password is topped up with PBKDF2 work up to the configured cost
    /// (all of it for bcrypt, whose work is not PBKDF2's): an imported account costs a guesser at least what any other does,
    /// so timing does not single out names that exist.
    /// </summary>
    public PasswordCheck? VerifyForeign(Password password, string storedHash)
    {
        if (storedHash.StartsWith(Prefix, StringComparison.Ordinal) || storedHash == NoPassword
            || ForeignPasswordHashes.Recognize(storedHash, out _) is not { } foreign)
        {
            return null;
        }

        if (ForeignPasswordHashes.Verify(foreign, storedHash, password.AsSent)
            || (!string.Equals(password.AsSent, password.Text, StringComparison.Ordinal) && ForeignPasswordHashes.Verify(foreign, storedHash, password.Text)))
        {
            return PasswordCheck.SucceededButOutdated;
        }

        if (foreign.Pbkdf2Iterations < Iterations)
        {
            _derive(password.Text, DummySalt, Iterations - foreign.Pbkdf2Iterations);
        }

        return PasswordCheck.Failed;
    }

    /// <summary>Whether the text is a hash in FuncAuth's own format with sane parameters (an import may bring one).</summary>
    public static bool IsWellFormed(string storedHash) => TryParse(storedHash, out _, out _, out _);

    /// <summary>Does the work of a verification against nothing: the answer for a user who does not exist.</summary>
    public void VerifyNothing(string password) => _derive(password, DummySalt, Iterations);

    private static byte[] Pbkdf2(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations)
            && iterations is > 0 and <= MaxIterations
            && TryDecode(parts[1], out salt) && salt.Length >= SaltBytes
            && TryDecode(parts[2], out hash) && hash.Length == HashBytes;
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
