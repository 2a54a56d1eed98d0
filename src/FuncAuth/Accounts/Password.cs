using System.Buffers;
using System.Text;
using FuncAuth.Accounts.Unicode;

namespace FuncAuth.Accounts;

/// <summary>
/// A password as given to a check or a hash: its Unicode normal form KC (NIST SP 800-63B §5.1.1.2), so the same
/// password typed on another keyboard or platform still matches, made with the Unicode 15.0 tables compiled into
/// FuncAuth (<see cref="Nfkc"/>), as usernames are, never with the host's ICU: <see cref="string.Normalize()"/>
/// gives other text under another ICU version, and returns non-ASCII text unchanged in invariant-globalization
/// mode, and a hash made from it would then no longer match and lock its owner out. The text as sent is kept
/// only so that a hash made from ICU's form before FuncAuth pinned the tables can still be checked (see
/// <see cref="LegacyPasswordForm"/>).
/// </summary>
internal sealed class Password
{
    /// <summary>In UTF-16 code units as sent, before normalisation: what bounds the hashing work.</summary>
    public const int MaxLength = 128;

    private Password(string text, string asSent)
    {
        Text = text;
        AsSent = asSent;
    }

    /// <summary>The normalised password: what is hashed and checked.</summary>
    public string Text { get; }

    /// <summary>The password as sent, before normalisation: only for <see cref="LegacyPasswordForm"/>.</summary>
    public string AsSent { get; }

    /// <summary>The normalised text, for what needs no legacy form: the policy of a new password, and its hash.</summary>
    public static implicit operator string(Password password) => password.Text;

    /// <summary>The password checked for form and normalised; or why it cannot be used.</summary>
    public static bool TryCreate(string? sent, out Password? password, out string? error)
    {
        password = null;
        if (string.IsNullOrEmpty(sent))
        {
            error = "The password is required.";
            return false;
        }

        if (sent.Length > MaxLength)
        {
            error = $"The password must be at most {MaxLength} characters.";
            return false;
        }

        // Lone surrogates cannot be normalised (nor hashed as UTF-8 without loss): refused, as ICU refused them before.
        var codePoints = new List<int>(sent.Length);
        for (var rest = sent.AsSpan(); !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                error = "The password contains invalid Unicode.";
                return false;
            }

            codePoints.Add(rune.Value);
            rest = rest[consumed..];
        }

        var text = new StringBuilder(sent.Length);
        foreach (var codePoint in Nfkc.Normalize(codePoints))
        {
            text.Append(new Rune(codePoint));
        }

        // What a new password must be beyond this is the policy's (PasswordPolicy): a check needs only its form.
        password = new Password(text.ToString(), sent);
        error = null;
        return true;
    }

    /// <summary>
    /// A password <see cref="TryCreate"/> has already normalised, whose text as sent is no longer known: checked as it is,
    /// it finds no hash of a legacy form that differs from it.
    /// </summary>
    public static Password FromNormalized(string text) => new(text, text);

    /// <summary>Never the password: this type may end up in a log message or an exception by mistake.</summary>
    public override string ToString() => "(a password)";
}
