using System.Text.RegularExpressions;

namespace FuncAuth.Clients;

/// <summary>
/// The rules for a registered redirect URI (OAuth 2.1 §2.3.1, RFC 8252 §7, RFC 9700 §4.1.3): absolute, no fragment, no
/// user info; https, or http only to a loopback address (a native app's local listener), or a private-use scheme named
/// after a domain the app controls (<c>com.example.app:/callback</c>). Matching is by exact string, except that a loopback
/// redirect may differ from the registered one in its port only: a native app listens on whatever port is free.
/// </summary>
internal static partial class RedirectUriRules
{
    /// <summary>Why <paramref name="value"/> cannot be registered, or null when it can.</summary>
    public static string? Refusal(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be empty";
        }

        if (value.Any(c => c is <= ' ' or >= '\u007f'))
        {
            return "must be written in printable ASCII with no spaces (percent-encode anything else)";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !value.Contains(':', StringComparison.Ordinal) || value.StartsWith('/'))
        {
            return "must be an absolute URI";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return "must not have a fragment (RFC 6749 §3.1.2)";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must not carry user information (user@host)";
        }

        var scheme = value[..value.IndexOf(':', StringComparison.Ordinal)];
        if (scheme == Uri.UriSchemeHttps)
        {
            return string.IsNullOrEmpty(uri.Host) ? "must name a host" : null;
        }

        if (scheme == Uri.UriSchemeHttp)
        {
            // Plain http only to this machine: the code never crosses a network in the clear.
            return Loopback.IsMatch(value) ? null :
                "may use http only for a loopback address (http://127.0.0.1, http://[::1] or http://localhost, any port); use https otherwise";
        }

        // A private-use scheme (RFC 8252 §7.1) in reverse domain form, so it is the app's own and no other app's; and
        // never one a browser would run or read itself.
        if (!PrivateUseScheme.IsMatch(scheme) || !scheme.Contains('.', StringComparison.Ordinal))
        {
            return "must use https, http to a loopback address, or a private-use scheme in reverse domain form (com.example.app:/callback)";
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is <paramref name="registered"/>: the same string, or both loopback http
    /// redirects that differ only in the port (RFC 8252 §7.3). Compared as strings, with no normalisation, so no case,
    /// encoding, dot-segment or prefix trick makes another address match.
    /// </summary>
    public static bool Matches(string registered, string presented)
    {
        if (string.Equals(registered, presented, StringComparison.Ordinal))
        {
            return true;
        }

        var expected = Loopback.Match(registered);
        var actual = Loopback.Match(presented);
        return expected.Success && actual.Success &&
            string.Equals(expected.Groups["host"].Value, actual.Groups["host"].Value, StringComparison.Ordinal) &&
            string.Equals(expected.Groups["rest"].Value, actual.Groups["rest"].Value, StringComparison.Ordinal) &&
            (!actual.Groups["port"].Success || IsPort(actual.Groups["port"].Value));
    }

    private static bool IsPort(string digits) => int.TryParse(digits, out var port) && port is > 0 and <= 65535;

    [GeneratedRegex(@"^http://(?<host>127\.0\.0\.1|\[::1\]|localhost)(:(?<port>[0-9]{1,5}))?(?<rest>[/?].*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LoopbackPattern();

    [GeneratedRegex(@"^[a-z][a-z0-9+.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateUseSchemePattern();

    private static Regex Loopback => LoopbackPattern();

    private static Regex PrivateUseScheme => PrivateUseSchemePattern();
}
