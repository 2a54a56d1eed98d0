namespace FuncAuth.Accounts;

/// <summary>
/// How a user signed in, as RFC 8176 names it: the <c>amr</c> of access and ID tokens and of <c>verify</c>'s answer. A session
/// records the methods its sign-in used, so every token it issues (refreshes included) says the same.
/// </summary>
internal static class AuthenticationMethods
{
    /// <summary>A password.</summary>
    public const string Password = "pwd";

    /// <summary>A one-time password (RFC 6238 TOTP).</summary>
    public const string OneTimePassword = "otp";

    /// <summary>More than one factor.</summary>
    public const string MultipleFactors = "mfa";

    /// <summary>Proof of possession of a hardware-secured key (a device-bound passkey).</summary>
    public const string HardwareKey = "hwk";

    /// <summary>Proof of possession of a software-secured key (a synced passkey).</summary>
    public const string SoftwareKey = "swk";

    /// <summary>A user presence test (with a passkey, user verification on the authenticator).</summary>
    public const string UserPresence = "user";

    /// <summary>A password alone: what every sign-in before a second factor existed was, and what an old session row means.</summary>
    public static IReadOnlyList<string> PasswordOnly { get; } = [Password];

    /// <summary>The stored form: the methods separated by spaces (none of them contains one).</summary>
    public static string Join(IReadOnlyList<string> methods) => string.Join(' ', methods);

    /// <summary>The stored form read back; a row written before methods were recorded was a password sign-in.</summary>
    public static IReadOnlyList<string> Split(string? stored) =>
        string.IsNullOrEmpty(stored) ? PasswordOnly : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
