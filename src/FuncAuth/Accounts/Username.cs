using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FuncAuth.Accounts.Unicode;

namespace FuncAuth.Accounts;

/// <summary>
/// A username as FuncAuth stores and compares it, in the spirit of the PRECIS UsernameCaseMapped profile
/// (RFC 8265): NFKC-normalised, then trimmed, then compared by Unicode default case folding; refused
/// unless every character is assigned, visible and unambiguous, since other services read it in the
/// <c>username</c> claim. All of it uses the Unicode 15.0 tables compiled into FuncAuth, never the host's
/// ICU or .NET's own casing, so a name's key cannot change under the app with an OS or runtime update.
/// </summary>
internal sealed record Username
{
    /// <summary>In UTF-16 code units of the normalised name, as before the key scheme changed.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// How <see cref="Key"/> is made, stored with each user so that a later change can find and migrate
    /// old keys. 1: the upper-cased (by the host's ICU) NFKC of the trimmed name. 2: the name NFKC-normalised,
    /// trimmed, case-folded and NFKC-normalised again, all by Unicode 15.0 (see <see cref="UnicodeTables"/>).
    /// </summary>
    public const int KeyScheme = 2;

    private Username(string display, string key)
    {
        Display = display;
        Key = key;
    }

    /// <summary>The name as the user wrote it, normalised and trimmed but not folded: what responses and tokens show.</summary>
    public string Display { get; }

    /// <summary>
    /// The partition key: base64url of the UTF-8 of the folded name, so only <c>[A-Za-z0-9_-]</c>
    /// whatever the name holds (<c>/ \ # ?</c> are forbidden in keys).
    /// </summary>
    public string Key { get; }

    public static bool TryCreate(string? raw, out Username? username, out string? error)
    {
        username = null;
        if (!TryDecode(raw ?? "", out var codePoints))
        {
            error = "The username contains invalid Unicode.";
            return false;
        }

        // Normalise before trimming: NFKC turns no-break, ideographic and other spaces into U+0020.
        var name = Trim(Nfkc.Normalize(codePoints));
        var display = ToText(name);
        error = display.Length switch
        {
            0 => "The username is required.",
            > MaxLength => $"The username must be at most {MaxLength} characters.",
            _ => FindRefusedCharacter(name),
        };
        if (error is not null)
        {
            return false;
        }

        // Folding can leave text unnormalised (U+0345 folds to a letter; ǰ to j and a combining caron),
        // so normalise again: equal names then have equal keys however they were composed.
        var comparable = ToText(Nfkc.Normalize(CaseFolding.Fold(name)));
        username = new Username(display, Base64Url.EncodeToString(Encoding.UTF8.GetBytes(comparable)));
        return true;
    }

    /// <summary>Why the name cannot be used, or null.</summary>
    private static string? FindRefusedCharacter(List<int> name)
    {
        var previous = -1;
        foreach (var codePoint in name)
        {
            var what = CodePoints.Kind(codePoint) switch
            {
                CodePointKind.Allowed => null,
                // A mark with nothing to sit on, like U+0301 from NFKC of ´ (U+00B4 → U+0020 U+0301).
                CodePointKind.CombiningMark when previous < 0 || CodePoints.IsWhiteSpace(previous) =>
                    "an accent or other combining mark with no letter before it",
                CodePointKind.CombiningMark => null,
                CodePointKind.Control => "a control character",
                CodePointKind.Noncharacter => "a noncharacter",
                CodePointKind.Unassigned => $"a character unassigned in Unicode {UnicodeTables.Version}",
                // Unreadable to other services and hosts.
                CodePointKind.PrivateUse => "a private-use character",
                // Invisible or reordering text makes look-alike names. This includes ZWJ and ZWNJ, which
                // some scripts use inside words: PRECIS allows them in context (CONTEXTJ), we do not yet.
                CodePointKind.Format => "an invisible or formatting character",
                _ => "a line or paragraph separator",
            };
            if (what is not null)
            {
                return string.Create(CultureInfo.InvariantCulture, $"The username contains {what} (U+{codePoint:X4}).");
            }

            previous = codePoint;
        }

        return null;
    }

    private static bool TryDecode(string raw, out List<int> codePoints)
    {
        codePoints = new List<int>(raw.Length);
        for (var rest = raw.AsSpan(); !rest.IsEmpty;)
        {
            // Lone surrogates cannot be normalised, or compared safely.
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            codePoints.Add(rune.Value);
            rest = rest[consumed..];
        }

        return true;
    }

    private static List<int> Trim(List<int> codePoints)
    {
        var start = 0;
        var end = codePoints.Count;
        while (start < end && CodePoints.IsWhiteSpace(codePoints[start]))
        {
            start++;
        }

        while (end > start && CodePoints.IsWhiteSpace(codePoints[end - 1]))
        {
            end--;
        }

        return codePoints[start..end];
    }

    private static string ToText(List<int> codePoints)
    {
        var text = new StringBuilder(codePoints.Count);
        foreach (var codePoint in codePoints)
        {
            text.Append(new Rune(codePoint));
        }

        return text.ToString();
    }
}
