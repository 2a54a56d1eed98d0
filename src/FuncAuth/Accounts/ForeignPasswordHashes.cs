using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace FuncAuth.Accounts;

/// <summary>The password hash formats of other systems FuncAuth verifies (imported users), until the next sign-in replaces them.</summary>
internal enum ForeignHashKind
{
    /// <summary>bcrypt, <c>$2a$</c>, <c>$2b$</c> or <c>$2y$</c> (Modular Crypt Format), verified with BCrypt.Net-Next.</summary>
    Bcrypt,

    /// <summary>ASP.NET Core Identity's V2 (marker 0x00): PBKDF2-HMAC-SHA1, 1,000 iterations, 16-byte salt, 32-byte subkey.</summary>
    IdentityV2,

    /// <summary>ASP.NET Core Identity's V3 (marker 0x01): PBKDF2 with HMAC-SHA1/256/512 and the count, salt and subkey it names.</summary>
    IdentityV3,
}

/// <summary>
/// A foreign hash as its own text says it was made. <see cref="Pbkdf2Iterations"/> is its PBKDF2 work (0 for bcrypt, whose work
/// is not PBKDF2): what a wrong password for it is topped up from, so it costs at least what a native wrong password costs.
/// </summary>
internal sealed record ForeignHash(ForeignHashKind Kind, int Pbkdf2Iterations);

/// <summary>
/// Other systems' password hashes, as an import brings them (<c>AspNetUsers.PasswordHash</c>, bcrypt strings): recognised,
/// checked for sane parameters, and verified. They are never made here: a successful check answers
/// <see cref="PasswordCheck.SucceededButOutdated"/>, and the sign-in rewrites the hash in FuncAuth's own format.
/// </summary>
/// <remarks>
/// Identity's hashes are verified by Identity's own <see cref="PasswordHasher{TUser}"/>: it ships in the ASP.NET Core shared
/// framework FuncAuth already runs on (no package to add), and is the code that made them. Its format is parsed here only to
/// refuse absurd parameters before it runs: a hash names its own iteration count, and a hostile or corrupted import must not
/// make one sign-in cost minutes.
/// </remarks>
internal static partial class ForeignPasswordHashes
{
    /// <summary>bcrypt's cost is a power of two: 16 is 64 times the common 10, seconds per check.</summary>
    public const int MaxBcryptCost = 16;

    public const int MinBcryptCost = 4;

    /// <summary>10 times Identity's default (100,000 PBKDF2-HMAC-SHA512 iterations since .NET 7).</summary>
    public const int MaxIdentityIterations = 1_000_000;

    // The header of a V3 hash: marker, PRF, iteration count, salt length (each big-endian uint after the marker).
    private const int V3HeaderBytes = 13;

    // Identity's own lower bounds (128 bits) and a generous upper one: SHA-512 gives 64 bytes per block.
    private const int MinSaltBytes = 16;
    private const int MaxSaltBytes = 64;
    private const int MinSubkeyBytes = 16;
    private const int MaxSubkeyBytes = 64;

    /// <summary>Identity's hasher with its default options: verification reads everything from the hash itself.</summary>
    private static readonly PasswordHasher<object> Identity = new();

    /// <summary>
    /// The foreign hash the text is, or null with why it is none (an unknown format, or parameters refused). FuncAuth's own
    /// format is not foreign: see <see cref="PasswordHasher.IsWellFormed"/>.
    /// </summary>
    public static ForeignHash? Recognize(string stored, out string? error)
    {
        if (stored.StartsWith("$2", StringComparison.Ordinal))
        {
            return RecognizeBcrypt(stored, out error);
        }

        if (stored.StartsWith('$'))
        {
            error = "The password hash is in no format FuncAuth accepts: ASP.NET Core Identity (V2, V3), bcrypt ($2a$, $2b$, $2y$) or $pbkdf2-sha256$.";
            return null;
        }

        return RecognizeIdentity(stored, out error);
    }

    /// <summary>Whether <paramref name="password"/> is the one the hash was made from (constant-time comparisons in both libraries).</summary>
    public static bool Verify(ForeignHash hash, string stored, string password)
    {
        if (hash.Kind == ForeignHashKind.Bcrypt)
        {
            try
            {
                return BCrypt.Net.BCrypt.Verify(password, stored);
            }
            catch (BCrypt.Net.SaltParseException)
            {
                return false;
            }
        }

        return Identity.VerifyHashedPassword(new object(), stored, password) != PasswordVerificationResult.Failed;
    }

    private static ForeignHash? RecognizeBcrypt(string stored, out string? error)
    {
        var match = BcryptForm().Match(stored);
        if (!match.Success)
        {
            error = "A bcrypt hash must be $2a$, $2b$ or $2y$, a two-digit cost, '$', and 53 characters of bcrypt's base64.";
            return null;
        }

        var cost = int.Parse(match.Groups["cost"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        if (cost is < MinBcryptCost or > MaxBcryptCost)
        {
            error = $"A bcrypt hash's cost must be {MinBcryptCost} to {MaxBcryptCost}.";
            return null;
        }

        error = null;
        return new ForeignHash(ForeignHashKind.Bcrypt, 0);
    }

    private static ForeignHash? RecognizeIdentity(string stored, out string? error)
    {
        error = "The password hash is in no format FuncAuth accepts: ASP.NET Core Identity (V2, V3), bcrypt ($2a$, $2b$, $2y$) or $pbkdf2-sha256$.";
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(stored);
        }
        catch (FormatException)
        {
            return null;
        }

        switch (bytes)
        {
            // V2: marker, 16-byte salt, 32-byte subkey, nothing else.
            case [0x00, ..] when bytes.Length == 1 + 16 + 32:
                error = null;
                return new ForeignHash(ForeignHashKind.IdentityV2, 1000);
            case [0x00, ..]:
                error = "An ASP.NET Core Identity V2 hash must be 49 bytes (base64): marker, 16-byte salt, 32-byte subkey.";
                return null;
            case [0x01, ..] when bytes.Length >= V3HeaderBytes:
                return RecognizeIdentityV3(bytes, out error);
            case [0x01, ..]:
                error = "An ASP.NET Core Identity V3 hash is too short.";
                return null;
            default:
                return null;
        }
    }

    private static ForeignHash? RecognizeIdentityV3(byte[] bytes, out string? error)
    {
        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        var subkeyLength = bytes.Length - V3HeaderBytes - (long)saltLength;
        error = (prf, iterations, saltLength, subkeyLength) switch
        {
            ( > 2, _, _, _) => "An ASP.NET Core Identity V3 hash must name HMAC-SHA1, HMAC-SHA256 or HMAC-SHA512 (0, 1 or 2).",
            (_, 0 or > MaxIdentityIterations, _, _) => $"An ASP.NET Core Identity V3 hash's iteration count must be 1 to {MaxIdentityIterations}.",
            (_, _, < MinSaltBytes or > MaxSaltBytes, _) => $"An ASP.NET Core Identity V3 hash's salt must be {MinSaltBytes} to {MaxSaltBytes} bytes.",
            (_, _, _, < MinSubkeyBytes or > MaxSubkeyBytes) => $"An ASP.NET Core Identity V3 hash's subkey must be {MinSubkeyBytes} to {MaxSubkeyBytes} bytes.",
            _ => null,
        };
        return error is null ? new ForeignHash(ForeignHashKind.IdentityV3, (int)iterations) : null;
    }

    [GeneratedRegex(@"\A\$2[aby]\$(?<cost>[0-9]{2})\$[./A-Za-z0-9]{53}\z", RegexOptions.CultureInvariant)]
    private static partial Regex BcryptForm();
}
