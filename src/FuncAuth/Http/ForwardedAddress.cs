using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Primitives;

namespace FuncAuth.Http;

/// <summary>
/// Reads the client's address from a header a trusted proxy sets (<c>X-Forwarded-For</c>, <c>X-Azure-SocketIP</c>):
/// the header is a comma-separated list over all its lines, and only its LAST element is the proxy's. Everything
/// before it came with the request, so a client could have written it; it is never read.
/// </summary>
/// <remarks>
/// The forms a proxy writes: <c>203.0.113.7</c>, <c>203.0.113.7:51234</c> (Application Gateway adds the client's
/// port), <c>2001:db8::1</c>, <c>[2001:db8::1]</c> and <c>[2001:db8::1]:51234</c>. The parse is strict (dotted
/// quads only, no leading zeros, no zone ids): <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> alone would
/// also take <c>1</c>, <c>0x7f.1</c> or octal <c>010.0.0.1</c>, forms no proxy writes and that would let one
/// client look like several.
/// </remarks>
internal static class ForwardedAddress
{
    // Longest sensible element: a bracketed IPv6 address with an embedded IPv4 part and a port, with room to spare.
    private const int MaxElementLength = 64;

    /// <summary>The address in the last element of <paramref name="values"/>; false when it holds none.</summary>
    public static bool TryParse(StringValues values, out IPAddress? address)
    {
        address = null;
        if (values.Count == 0)
        {
            return false;
        }

        // The lines joined with commas, split on commas, last element: that is the last element of the last line.
        var last = values[^1] ?? string.Empty;
        var element = last.AsSpan(last.LastIndexOf(',') + 1).Trim(" \t");
        return TryParseElement(element, out address);
    }

    /// <summary>One list element: an address, with or without a port.</summary>
    public static bool TryParseElement(ReadOnlySpan<char> element, out IPAddress? address)
    {
        address = null;
        if (element.IsEmpty || element.Length > MaxElementLength)
        {
            return false;
        }

        if (element[0] == '[')
        {
            var close = element.IndexOf(']');
            if (close < 0 || !IsPortSuffixOrEmpty(element[(close + 1)..]))
            {
                return false;
            }

            return TryParseIPv6(element[1..close], out address);
        }

        var colons = element.Count(':');
        if (colons == 0)
        {
            return TryParseIPv4(element, out address);
        }

        if (colons == 1)
        {
            // IPv4 with a port. (An IPv6 address has at least two colons.)
            var colon = element.IndexOf(':');
            return IsPortSuffixOrEmpty(element[colon..]) && element.Length > colon + 1 && TryParseIPv4(element[..colon], out address);
        }

        return TryParseIPv6(element, out address);
    }

    /// <summary>Empty, or <c>:</c> and a port number (1 to 5 digits, at most 65535).</summary>
    private static bool IsPortSuffixOrEmpty(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return true;
        }

        var digits = rest[1..];
        return rest[0] == ':'
            && digits.Length is >= 1 and <= 5
            && !digits.ContainsAnyExceptInRange('0', '9')
            && int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) <= ushort.MaxValue;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            var digits = text[range];
            if (part == 4
                || digits.Length is < 1 or > 3
                || digits.ContainsAnyExceptInRange('0', '9')
                || (digits.Length > 1 && digits[0] == '0'))
            {
                return false;
            }

            var value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (value > byte.MaxValue)
            {
                return false;
            }

            bytes[part++] = (byte)value;
        }

        if (part != 4)
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParseIPv6(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;

        // Hex digits, colons and the dots of an embedded IPv4 part: no zone id (%eth0), no brackets, no spaces.
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
            {
                return false;
            }
        }

        if (!text.Contains(':') || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
