using System.Security.Cryptography;
using OtpNet;

namespace FuncAuth.Mfa;

/// <summary>
/// RFC 6238 as FuncAuth uses it, with Otp.NET: 160-bit secrets (RFC 4226's recommendation), SHA-1, 6 digits, 30-second
/// steps, one step of tolerance either way for clocks and typing, all under the app's <see cref="TimeProvider"/>.
/// </summary>
internal static class TotpSecrets
{
    public const int SecretBytes = 20;
    public const int Digits = 6;
    public const int StepSeconds = 30;

    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>The <c>otpauth://</c> URI authenticator apps read (Google's Key URI format), labelled issuer:username.</summary>
    public static string OtpAuthUri(byte[] secret, string issuer, string username) =>
        new OtpUri(OtpType.Totp, Base32(secret), username, issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();

    /// <summary>
    /// The time step <paramref name="code"/> is the code of, within one step of now; null when it is none (or not six
    /// digits). The comparison is Otp.NET's, in constant time.
    /// </summary>
    public static long? MatchingStep(byte[] secret, string code, DateTimeOffset now)
    {
        if (!IsWellFormed(code))
        {
            return null;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, Window) ? step : null;
    }

    /// <summary>Six ASCII digits: the only form a code has (spaces an app shows in the middle are removed by the caller).</summary>
    public static bool IsWellFormed(string? code) => code is { Length: Digits } && code.All(char.IsAsciiDigit);

    /// <summary>A code as typed, without the spaces some apps show in the middle ("123 456").</summary>
    public static string Normalize(string code) => code.Replace(" ", string.Empty, StringComparison.Ordinal);
}
