using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FuncAuth.Email;

/// <summary>
/// A validated email address: an RFC 5321 mailbox (no display name, no comments, no CR/LF, at most 254 characters),
/// its domain in ASCII (IDNA) form. <see cref="Value"/> is what is stored and sent to; <see cref="Key"/> identifies the
/// address case-insensitively without revealing it (the hash of its upper-case form, hex).
/// </summary>
/// <remarks>
/// Deliberately narrower than what RFC 5322 lets a header carry: the local part is a dot-atom of ASCII atext (no quoted
/// strings, no comments, no whitespace), the domain a host name (no address literals). Everything a display name, a
/// comment, a second address or a header line break would need is outside that alphabet, so a value that passes can be
/// written into a message header as it stands and names exactly one mailbox.
/// </remarks>
internal sealed record EmailAddress(string Value, string Key)
{
    /// <summary>Whether <paramref name="stored"/> (an account's address as stored, or null) is this address, case aside.</summary>
    public bool IsSameAs(string? stored) => TryCreate(stored, out var other, out _) && other.Key == Key;

    /// <summary>RFC 5321 §4.5.3.1.1: at most 64 octets before the @.</summary>
    public const int MaxLocalPartLength = 64;

    /// <summary>RFC 5321's path limit (256 octets) less the angle brackets (RFC 3696 errata 1690).</summary>
    public const int MaxLength = 254;

    /// <summary>RFC 1035 §2.3.4: at most 63 octets a label.</summary>
    public const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    public static bool TryCreate(string? input, [NotNullWhen(true)] out EmailAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = Refuse(input, out var value);
        if (error is not null)
        {
            return false;
        }

        address = new EmailAddress(value!, KeyOf(value!));
        return true;
    }

    private static string? Refuse(string? input, out string? value)
    {
        value = null;
        if (string.IsNullOrEmpty(input))
        {
            return "The email address is empty.";
        }

        if (input.Length > MaxLength)
        {
            return $"The email address must be at most {MaxLength} characters.";
        }

        foreach (var c in input)
        {
            // Checked before anything else, so no later message can be about a header line break smuggled in.
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "The email address must not contain spaces, line breaks or control characters.";
            }
        }

        if (input.Contains('<', StringComparison.Ordinal) || input.Contains('>', StringComparison.Ordinal))
        {
            return "Send the address only, like name@example.com: no display name or angle brackets.";
        }

        if (input.Contains('(', StringComparison.Ordinal) || input.Contains(')', StringComparison.Ordinal))
        {
            return "The email address must not contain comments (parentheses).";
        }

        var at = input.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return "The email address must contain an @, like name@example.com.";
        }

        if (input.IndexOf('@', at + 1) >= 0)
        {
            return "The email address must contain exactly one @.";
        }

        var local = input[..at];
        var domain = input[(at + 1)..];
        if (RefuseLocalPart(local) is { } localError)
        {
            return localError;
        }

        if (RefuseDomain(domain, out var asciiDomain) is { } domainError)
        {
            return domainError;
        }

        value = $"{local}@{asciiDomain}";
        return value.Length > MaxLength ? $"The email address must be at most {MaxLength} characters (its domain in ASCII form counted)." : null;
    }

    /// <summary>A dot-atom (RFC 5322 §3.2.3) of ASCII atext: no quoted strings, no empty or leading/trailing dots.</summary>
    private static string? RefuseLocalPart(string local)
    {
        if (local.Length == 0)
        {
            return "The email address needs a name before the @.";
        }

        if (local.Length > MaxLocalPartLength)
        {
            return $"The part before the @ must be at most {MaxLocalPartLength} characters.";
        }

        foreach (var c in local)
        {
            if (c != '.' && !IsAtext(c))
            {
                return c == '"'
                    ? "Quoted names before the @ are not accepted."
                    : "The part before the @ may only hold ASCII letters, digits, dots and !#$%&'*+-/=?^_`{|}~.";
            }
        }

        return local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal)
            ? "The part before the @ must not begin or end with a dot or hold two dots in a row."
            : null;
    }

    /// <summary>
    /// A host name: mapped and converted to ASCII by IDNA (UTS #46 with the STD3 rules), lower-cased, at least two LDH
    /// labels of at most 63 characters. No address literals (<c>[192.0.2.1]</c>) and no all-numeric top-level label, so a
    /// dotted IPv4 address is refused too: messages go to names the DNS publishes mail servers for.
    /// </summary>
    private static string? RefuseDomain(string domain, out string? ascii)
    {
        ascii = null;
        if (domain.Length == 0)
        {
            return "The email address needs a domain after the @.";
        }

        if (domain[0] == '[')
        {
            return "The domain must be a name, not an IP address literal.";
        }

        if (domain[^1] == '.' || domain[0] == '.' || domain.Contains("..", StringComparison.Ordinal))
        {
            return "The domain must not begin or end with a dot or hold two dots in a row.";
        }

        string mapped;
        try
        {
            mapped = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return $"The domain is not a valid host name: at most 253 characters in ASCII form, labels of 1 to {MaxLabelLength} " +
                "letters, digits and hyphens (not at either end), or an internationalised name.";
        }

        var labels = mapped.Split('.');
        if (labels.Length < 2)
        {
            return "The domain must have at least two labels, like example.com.";
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                return $"Each part of the domain must be 1 to {MaxLabelLength} characters.";
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return "Each part of the domain may only hold letters, digits and hyphens, and must not begin or end with a hyphen.";
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            return "The domain must be a name, not an IP address.";
        }

        ascii = mapped;
        return null;
    }

    /// <summary>RFC 5322 §3.2.3 atext.</summary>
    private static bool IsAtext(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal);

    /// <summary>
    /// Hex SHA-256 of the upper-case form: equal for addresses that differ only in case (mail systems treat local parts
    /// case-insensitively in practice, though RFC 5321 allows otherwise), and a table reader learns only a hash, not the
    /// address, from the key.
    /// </summary>
    private static string KeyOf(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value.ToUpperInvariant())));
}
