using System.Text;

namespace FuncAuth.Accounts;

/// <summary>
/// The form in which FuncAuth hashed passwords before it normalised them with its own tables (<see cref="Password"/>):
/// <see cref="string.Normalize(NormalizationForm)"/> with form KC, which runs the host's ICU (or, in invariant-globalization
/// mode, leaves the text as it is). A check that fails with the normalised text is tried once more with this form when it
/// differs, and a success that way rewrites the hash from the normalised text (<see cref="PasswordCheck.SucceededButOutdated"/>).
/// It never differs for ASCII (and, with ICU 72 or another ICU of Unicode 15.0, for no text at all), so only the passwords
/// that may need it cost a second hash, and they cost it whether or not the account exists.
/// </summary>
internal sealed class LegacyPasswordForm
{
    private readonly Func<string, string> _normalize;

    public LegacyPasswordForm()
        : this(sent => sent.Normalize(NormalizationForm.FormKC))
    {
    }

    /// <summary>With another normalisation: tests stand in for a host whose ICU differed from the tables.</summary>
    internal LegacyPasswordForm(Func<string, string> normalize) => _normalize = normalize;

    /// <summary>The legacy form of the password when it differs from <see cref="Password.Text"/>; otherwise null.</summary>
    public string? Of(Password password)
    {
        if (Ascii.IsValid(password.AsSent))
        {
            return null;
        }

        string legacy;
        try
        {
            legacy = _normalize(password.AsSent);
        }
        catch (ArgumentException)
        {
            // ICU refuses some text the tables accept (U+FFFE): no hash was ever made from such a password.
            return null;
        }

        return string.Equals(legacy, password.Text, StringComparison.Ordinal) ? null : legacy;
    }
}
