using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>
/// What a new password must be (NIST SP 800-63B §3.1.1.2): long enough, not too long to hash, not one of the passwords
/// attackers try first, and not the username. No composition rules and no expiry, which NIST advises against.
/// Applies to registration and password changes; a login checks only what it must to find the account.
/// </summary>
internal sealed class PasswordPolicy(IOptions<PasswordOptions> options)
{
    // The 30,000 most common passwords of the zxcvbn project's frequency list (lower case, most common first), as the
    // zxcvbn-core package ships it. Loaded once, on first use.
    private static readonly Lazy<FrozenSet<string>> CommonPasswords = new(LoadCommonPasswords);

    // A name this short is inside too many good passwords to refuse them for it.
    private const int MinUsernameLengthToMatch = 3;

    /// <summary>Why the password cannot be used, in words a user understands; null when it can.</summary>
    public string? Refuse(string password, Username username)
    {
        var minimum = options.Value.MinimumLength;
        if (password.Length < minimum)
        {
            return $"The password must be at least {minimum} characters.";
        }

        var folded = password.ToLowerInvariant();
        if (IsCommon(folded))
        {
            return "This password is one of the most common passwords, which attackers try first. Choose one that is harder to guess; a few unrelated words make a good password.";
        }

        var name = username.Display.ToLowerInvariant();
        if (name.Length >= MinUsernameLengthToMatch && folded.Contains(name, StringComparison.Ordinal))
        {
            return "The password must not contain your username.";
        }

        return null;
    }

    /// <summary>Whether the password, ignoring case, is on the list of common passwords.</summary>
    public static bool IsCommon(string password) => CommonPasswords.Value.Contains(password.ToLowerInvariant());

    private static FrozenSet<string> LoadCommonPasswords()
    {
        const string Resource = "zxcvbn-core.Dictionaries.passwords.lst";
        using var stream = typeof(Zxcvbn.Zxcvbn).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The common-password list '{Resource}' is missing from the zxcvbn-core package.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line.Trim().ToLower(CultureInfo.InvariantCulture));
            }
        }

        return passwords.ToFrozenSet(StringComparer.Ordinal);
    }
}
