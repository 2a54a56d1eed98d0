using System.Buffers.Text;
using System.Text;

namespace FuncAuth.Accounts;

/// <summary>
/// A username as FuncAuth stores and compares it: trimmed, NFKC-normalised (so look-alike compositions
/// are one name), compared case-insensitively, and encoded into a Table Storage key that is safe
/// whatever the name holds (<c>/ \ # ?</c> and control characters are forbidden in keys).
/// </summary>
internal sealed record Username
{
    public const int MaxLength = 64;

    private Username(string display, string key)
    {
        Display = display;
        Key = key;
    }

    /// <summary>The name as the user wrote it, trimmed and normalised: what responses and tokens show.</summary>
    public string Display { get; }

    /// <summary>The partition key: base64url of the upper-cased name, so only <c>[A-Za-z0-9_-]</c>.</summary>
    public string Key { get; }

    public static bool TryCreate(string? raw, out Username? username, out string? error)
    {
        username = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = "The username is required.";
            return false;
        }

        string display;
        try
        {
            display = raw.Trim().Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates and other invalid UTF-16 cannot be normalised, or compared safely.
            error = "The username contains invalid Unicode.";
            return false;
        }

        if (display.Length > MaxLength)
        {
            error = $"The username must be at most {MaxLength} characters.";
            return false;
        }

        var comparable = display.ToUpperInvariant();
        username = new Username(display, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(comparable)));
        error = null;
        return true;
    }
}
