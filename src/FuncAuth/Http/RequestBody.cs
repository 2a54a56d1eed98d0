using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>The small request bodies FuncAuth reads (credentials, OAuth parameters): size-capped, UTF-8, JSON or form.</summary>
internal static class RequestBody
{
    /// <summary>A few short fields: a body larger than this is not a FuncAuth request.</summary>
    public const int MaxBytes = 8 * 1024;

    public const string JsonMediaType = "application/json";

    public const string FormMediaType = "application/x-www-form-urlencoded";

    /// <summary>Newline-delimited JSON: one JSON value per line (the user import's body).</summary>
    public const string NdJsonMediaType = "application/x-ndjson";

    // Throws on invalid bytes instead of replacing them, so a malformed form is refused, not guessed at.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether the request's media type is <paramref name="mediaType"/> with no charset other than UTF-8.</summary>
    public static bool IsUtf8MediaType(HttpRequest request, string mediaType) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed)
        && parsed.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
        && (!parsed.Charset.HasValue || HeaderUtilities.RemoveQuotes(parsed.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>JSON, form or neither (then the request is refused), and whether the declared charset (if any) is UTF-8.</summary>
    public static (bool IsJson, bool IsForm, bool IsUtf8) MediaTypeOf(HttpRequest request)
    {
        _ = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var isJson = mediaType?.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) == true;
        var isForm = mediaType?.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase) == true;

        // A parameter value may be a quoted string (RFC 9110 §5.6.6): charset="utf-8" is charset=utf-8.
        var isUtf8 = mediaType?.Charset.HasValue != true
            || HeaderUtilities.RemoveQuotes(mediaType.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return (isJson, isForm, isUtf8);
    }

    /// <summary>The body, or null when it is over the limit (whether or not Content-Length said so).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBytes ? null : buffer[..length];
    }

    /// <summary>
    /// A JSON body read strictly with <paramref name="typeInfo"/>, or 400 with <paramref name="shape"/> when it is not that
    /// JSON; the parser's own message is never echoed, since it may quote the body and so a password.
    /// </summary>
    public static (T? Value, ProblemHttpResult? Problem) ParseJson<T>(byte[] body, JsonTypeInfo<T> typeInfo, string shape)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) is { } value
                ? (value, null)
                : (null, Problems.BadRequest($"The body must be JSON of the form {shape}."));
        }
        catch (JsonException)
        {
            return (null, Problems.BadRequest($"The body must be JSON of the form {shape}."));
        }
    }

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> as the WHATWG URL standard parses it, except that the bytes
    /// percent-decoding yields must be UTF-8: <c>%FF</c> is refused rather than read as U+FFFD (which would turn a
    /// malformed request into a different name or password). Null when they are not.
    /// </summary>
    public static List<KeyValuePair<string, string>>? ParseForm(byte[] body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var range in body.AsSpan().Split((byte)'&'))
        {
            var pair = body.AsSpan(range);
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf((byte)'=');
            if (!TryDecodeFormComponent(equals < 0 ? pair : pair[..equals], out var name)
                || !TryDecodeFormComponent(equals < 0 ? [] : pair[(equals + 1)..], out var value))
            {
                return null;
            }

            fields.Add(new(name, value));
        }

        return fields;
    }

    /// <summary>
    /// A JSON object's members whose values are strings (others are refused by name), or null with why when the body
    /// is not a JSON object. Members given twice are both listed, for the caller to refuse.
    /// </summary>
    public static (List<KeyValuePair<string, string>>? Fields, string? Error) ParseJsonObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "The body must be a JSON object.");
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    return (null, $"\"{member.Name}\" must be a string.");
                }

                fields.Add(new(member.Name, member.Value.GetString()!));
            }

            return (fields, null);
        }
        catch (JsonException)
        {
            // The parser's message may quote the body, and so a secret: say only what is wrong.
            return (null, "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // A string escaping half a surrogate pair (\ud800 alone) is valid JSON but no text.
            return (null, "The body holds a string that is not valid Unicode.");
        }
    }

    /// <summary>'+' is a space, %XX a byte (a '%' without two hex digits stays as it is); the bytes must be UTF-8.</summary>
    internal static bool TryDecodeFormComponent(ReadOnlySpan<byte> raw, out string text)
    {
        var encoded = raw.ToArray();
        try
        {
            text = StrictUtf8.GetString(WebUtility.UrlDecodeToBytes(encoded, 0, encoded.Length));
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
