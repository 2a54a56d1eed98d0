using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncAuth.Admin;

/// <summary>
/// The listing's opaque cursor: base64url of a small JSON that holds the Table service's continuation and the prefix it was
/// made for, so a cursor used with another prefix (or none) is refused instead of silently listing the wrong range.
/// </summary>
internal static class ListCursor
{
    // Far above any continuation the service sends, far below anything costly to decode.
    private const int MaxLength = 2048;

    public static string Encode(string continuation, string? prefixKey) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new CursorState { Continuation = continuation, Prefix = prefixKey ?? string.Empty }, AdminJson.Default.CursorState));

    /// <summary>The continuation, or null when the text is no cursor of ours or was made for another prefix.</summary>
    public static string? Decode(string cursor, string? prefixKey)
    {
        if (cursor.Length is 0 or > MaxLength || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        try
        {
            var state = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(cursor), AdminJson.Default.CursorState);
            return state is { Continuation: { Length: > 0 } continuation, Prefix: { } prefix }
                && prefix == (prefixKey ?? string.Empty)
                && IsContinuation(continuation)
                ? continuation
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The service's continuation is its next partition and row key, separated by a space: printable ASCII, no more.
    private static bool IsContinuation(string continuation) =>
        continuation.All(c => c is > ' ' and < '\u007f' || c == ' ') && continuation.Split(' ') is [{ Length: > 0 }, { Length: > 0 }];
}

/// <summary>What a cursor holds.</summary>
internal sealed class CursorState
{
    [JsonPropertyName("c")]
    public string? Continuation { get; init; }

    [JsonPropertyName("p")]
    public string? Prefix { get; init; }
}
