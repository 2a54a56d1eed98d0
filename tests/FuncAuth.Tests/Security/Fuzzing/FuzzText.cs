using System.Buffers;
using System.Globalization;
using System.Text;

namespace FuncAuth.Tests.Security.Fuzzing;

/// <summary>Text the generators draw from, how it is written on the wire, and how it is shown in a report.</summary>
public static class FuzzText
{
    /// <summary>
    /// Markers (private-use characters, which no generator draws) stand for a pool user's genuine values, replaced at
    /// send time: the request stays the same whatever tokens the run happens to hold.
    /// </summary>
    public const char MarkerStart = '\uE000';

    public const char MarkerEnd = '\uE001';

    public const char AccessToken = 'a';
    public const char RefreshToken = 'r';
    public const char SessionId = 's';
    public const char Username = 'u';
    public const char Password = 'p';

    /// <summary>Strings known to upset parsers, encoders, normalisers and HTML.</summary>
    public static readonly string[] Nasty =
    [
        "<script>alert(1)</script>", "\"'&<>", "\"><img src=x onerror=alert(1)>", "' OR '1'='1", "&amp;&lt;&#x27;", "</title>",
        "\u202E", "\u202Egnp.exe", "\u200B", "\u200D", "\uFEFF", "\u00A0", "\u3000", "\u2028", "\u2029", "\u0085", "\u00AD",
        "\0", "\u0001", "\u001B[31m", "\r\n", "\t", "\u007F", "\u009F", "\b",
        "e\u0301", "\u0301", "a\u0308\u0308\u0308\u0308\u0308\u0308", "\uFB01", "\u2163", "\uFF21\uFF22", "\u0130", "\u00DF", "\u01F0", "\u0345", "\u1E9E", "\u212A",
        "\U0001F600", "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\U0001F1FA\U0001F1F8", "\uD800", "\uDFFF", "\uDBFF\uDBFF", "\uDC00\uD800", "a\uD800b",
        "\u05D0\u05D1\u05D2", "\u0627\u0644\u0639", "\uD55C\uAD6D\uC5B4", "\u4E2D\u6587", "\uFFFD", "\uFFFF", "\uFFFE",
        "%00", "%FF", "%ED%A0%80", "\\u0000", "\\ud800", "\\", "{{7*7}}", "${jndi:x}", "../../etc/passwd", "..\\..\\", "/", "#", "?", "+", "=", "&", ";", ",", " ",
        "null", "NaN", "true", "[]", "{}", "Bearer", "password", "refresh_token", "admin", "root",
    ];

    /// <summary>Nasty strings a Kestrel header value may carry: no CR, LF, NUL or other controls but HTAB.</summary>
    public static readonly string[] NastyForHeaders =
        [.. Nasty.Where(s => s.All(c => c == '\t' || !char.IsControl(c)))];

    public static string Marker(char kind, int subject) => $"{MarkerStart}{kind}{(char)('0' + subject)}{MarkerEnd}";

    /// <summary>At least 8 characters, one of them HTML-sensitive or a control: must not come back verbatim.</summary>
    public static bool IsReflectable(string text) =>
        text.Length >= 8 && text.Any(c => c is '<' or '>' or '"' or '\'' or '&' || char.IsControl(c));

    public static string Resolve(string text, Func<char, string> value)
    {
        if (!text.Contains(MarkerStart, StringComparison.Ordinal))
        {
            return text;
        }

        var resolved = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == MarkerStart && i + 3 < text.Length && text[i + 3] == MarkerEnd)
            {
                resolved.Append(value(text[i + 1]));
                i += 3;
            }
            else
            {
                resolved.Append(text[i]);
            }
        }

        return resolved.ToString();
    }

    public static byte[] Resolve(byte[] bytes, Func<char, string> value)
    {
        ReadOnlySpan<byte> start = [0xEE, 0x80, 0x80];
        if (bytes.AsSpan().IndexOf(start) < 0)
        {
            return bytes;
        }

        var resolved = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes.AsSpan(i).StartsWith(start) && i + 7 < bytes.Length && bytes.AsSpan(i + 5, 3).SequenceEqual("\uE001"u8))
            {
                resolved.Write(System.Text.Encoding.UTF8.GetBytes(value((char)bytes[i + 3])));
                i += 7;
            }
            else
            {
                resolved.Write([bytes[i]]);
            }
        }

        return resolved.WrittenSpan.ToArray();
    }

    public static void Ascii(ArrayBufferWriter<byte> into, string text) => into.Write(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>UTF-8, except that a lone surrogate is encoded as if it were a code point: three bytes no UTF-8 decoder accepts.</summary>
    public static byte[] Wtf8(string text)
    {
        var bytes = new ArrayBufferWriter<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            WriteCodePoint(bytes, codePoint);
        }

        return bytes.WrittenSpan.ToArray();
    }

    public static void WriteJsonString(ArrayBufferWriter<byte> into, string text, StringForm form)
    {
        Ascii(into, "\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == MarkerStart && text.IndexOf(MarkerEnd, i) is var end and > 0)
            {
                into.Write(System.Text.Encoding.UTF8.GetBytes(text[i..(end + 1)]));
                i = end;
            }
            else if (c is '"' or '\\')
            {
                Ascii(into, $"\\{c}");
            }
            else if (c < 0x20 && form != StringForm.Raw)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else if (c < 0x80)
            {
                into.Write([(byte)c]);
            }
            else if (form == StringForm.Escaped)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                WriteCodePoint(into, char.ConvertToUtf32(c, text[i + 1]));
                i++;
            }
            else if (char.IsSurrogate(c) && form == StringForm.Utf8)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else
            {
                WriteCodePoint(into, c);
            }
        }

        Ascii(into, "\"");
    }

    public static void WriteFormComponent(ArrayBufferWriter<byte> into, string text, FormEncoding encoding)
    {
        foreach (var (piece, marker) in Pieces(text))
        {
            if (marker || encoding == FormEncoding.Raw)
            {
                into.Write(marker ? System.Text.Encoding.UTF8.GetBytes(piece) : Wtf8(piece));
            }
            else
            {
                Ascii(into, PercentEncode(piece, plus: encoding == FormEncoding.PercentWithPlus));
            }
        }
    }

    /// <summary>Unreserved characters as they are, every other byte of the WTF-8 as %XX.</summary>
    public static string PercentEncode(string text, bool plus)
    {
        var encoded = new StringBuilder();
        foreach (var b in Wtf8(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else if (b == ' ' && plus)
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    /// <summary>A string as a C# literal would spell it (markers as «what they stand for»), cut after 300 characters.</summary>
    public static string Render(string text)
    {
        var rendered = new StringBuilder("\"");
        var shown = text.Length > 300 ? text[..240] : text;
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (c == MarkerStart && i + 3 < shown.Length && shown[i + 3] == MarkerEnd)
            {
                rendered.Append(MarkerName(shown[i + 1], shown[i + 2]));
                i += 3;
            }
            else
            {
                rendered.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    >= ' ' and <= '~' => c.ToString(),
                    _ => $"\\u{(int)c:X4}",
                });
            }
        }

        rendered.Append('"');
        return text.Length > 300 ? $"{rendered}…(+{text.Length - 240} more characters: {text.Length} in all)" : rendered.ToString();
    }

    /// <summary>Bytes as a C# literal would spell them: ASCII as is, valid UTF-8 as \u escapes, invalid bytes as \xNN.</summary>
    public static string Render(ReadOnlySpan<byte> bytes, int limit)
    {
        var rendered = new StringBuilder("\"");
        var shown = bytes.Length > limit ? bytes[..limit] : bytes;
        while (!shown.IsEmpty)
        {
            if (shown.StartsWith("\uE000"u8) && shown.Length >= 8 && shown[5..8].SequenceEqual("\uE001"u8))
            {
                rendered.Append(MarkerName((char)shown[3], (char)shown[4]));
                shown = shown[8..];
                continue;
            }

            var status = Rune.DecodeFromUtf8(shown, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                rendered.Append(CultureInfo.InvariantCulture, $"\\x{shown[0]:X2}");
                shown = shown[1..];
                continue;
            }

            rendered.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                >= ' ' and <= '~' => ((char)rune.Value).ToString(),
                <= 0xFFFF => $"\\u{rune.Value:X4}",
                _ => $"\\U{rune.Value:X8}",
            });
            shown = shown[consumed..];
        }

        rendered.Append('"');
        return bytes.Length > limit ? $"{rendered}…(+{bytes.Length - limit} more bytes)" : rendered.ToString();
    }

    private static string MarkerName(char kind, char subject) => kind switch
    {
        AccessToken => $"«access token of pool user {subject}»",
        RefreshToken => $"«refresh token of pool user {subject}»",
        SessionId => $"«session id of pool user {subject}»",
        Username => $"«username of pool user {subject}»",
        _ => $"«password of pool user {subject}»",
    };

    private static IEnumerable<(string Piece, bool Marker)> Pieces(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == MarkerStart && i + 3 < text.Length && text[i + 3] == MarkerEnd)
            {
                if (i > start)
                {
                    yield return (text[start..i], false);
                }

                yield return (text[i..(i + 4)], true);
                start = i + 4;
                i += 3;
            }
        }

        if (start < text.Length)
        {
            yield return (text[start..], false);
        }
    }

    private static void WriteCodePoint(ArrayBufferWriter<byte> into, int codePoint)
    {
        byte[] bytes = codePoint switch
        {
            < 0x80 => [(byte)codePoint],
            < 0x800 => [(byte)(0xC0 | (codePoint >> 6)), (byte)(0x80 | (codePoint & 0x3F))],
            < 0x10000 => [(byte)(0xE0 | (codePoint >> 12)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
            _ => [(byte)(0xF0 | (codePoint >> 18)), (byte)(0x80 | ((codePoint >> 12) & 0x3F)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
        };
        into.Write(bytes);
    }
}
