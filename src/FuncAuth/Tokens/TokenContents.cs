using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace FuncAuth.Tokens;

/// <summary>
/// The header and claims of a compact JWS, read strictly before any key is touched (RFC 7515, RFC 7519,
/// RFC 8725): exactly three parts; a header of <c>alg</c>, <c>kid</c> and <c>typ</c> only, so <c>crit</c>,
/// <c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c> and anything else FuncAuth never writes are refused, not
/// ignored; JSON objects with no duplicate members and nothing after them; times that are JSON numbers
/// (NumericDate) and identifiers that are strings. Reading says nothing about the signature.
/// </summary>
internal sealed record TokenContents(string Algorithm, string KeyId, string Type, AccessToken Claims)
{
    // 9999-12-31T23:59:59Z: the last second DateTimeOffset can hold.
    private const double MaxNumericDate = 253_402_300_799;

    public static TokenContents? TryRead(string token)
    {
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return null;
        }

        var header = Decode(token.AsSpan(0, firstDot));
        var payload = Decode(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        if (header is null || payload is null)
        {
            return null;
        }

        try
        {
            using var headerJson = JsonDocument.Parse(header);
            using var payloadJson = JsonDocument.Parse(payload);
            return Read(headerJson.RootElement, payloadJson.RootElement);
        }
        catch (JsonException)
        {
            // Not JSON, or something after the object (RFC 7519 §7.2 step 10 wants exactly one JSON object).
            return null;
        }
    }

    private static TokenContents? Read(JsonElement header, JsonElement payload)
    {
        if (!IsObjectWithUniqueMembers(header) || !IsObjectWithUniqueMembers(payload))
        {
            return null;
        }

        foreach (var member in header.EnumerateObject())
        {
            if (member.Name is not ("alg" or "kid" or "typ"))
            {
                return null;
            }
        }

        // A session id is optional, but a string when present.
        string? sid = null;
        if (payload.TryGetProperty(TokenIssuer.SessionIdClaim, out _) && (sid = String(payload, TokenIssuer.SessionIdClaim)) is null)
        {
            return null;
        }

        // So are the scope and client of a token issued to a registered client.
        string? scope = null, clientId = null;
        if ((payload.TryGetProperty(TokenIssuer.ScopeClaim, out _) && (scope = String(payload, TokenIssuer.ScopeClaim)) is null)
            || (payload.TryGetProperty(TokenIssuer.ClientIdClaim, out _) && (clientId = String(payload, TokenIssuer.ClientIdClaim)) is null))
        {
            return null;
        }

        // And how the user signed in: an array of strings when present.
        IReadOnlyList<string>? methods = null;
        if (payload.TryGetProperty(TokenIssuer.MethodsClaim, out _) && (methods = Strings(payload, TokenIssuer.MethodsClaim)) is null)
        {
            return null;
        }

        // And the user's roles: when present, a non-empty array of distinct role names (what TokenIssuer writes), else the
        // whole token is refused, so a verifier never grants a role it misread. Absent (most tokens) costs one lookup.
        IReadOnlyList<string>? roles = null;
        if (payload.TryGetProperty(TokenIssuer.RolesClaim, out var rolesValue) && (roles = RoleNames(rolesValue)) is null)
        {
            return null;
        }

        return String(header, "alg") is { } alg
            && String(header, "kid") is { } kid
            && String(header, "typ") is { } typ
            && String(payload, "iss") is { } iss
            && String(payload, "aud") is { } aud
            && String(payload, "sub") is { } sub
            && Username(payload, sub, sid, clientId, methods, roles) is { } username
            && String(payload, "jti") is { } jti
            && NumericDate(payload, "iat") is { } iat
            && NumericDate(payload, "nbf") is { } nbf
            && NumericDate(payload, "exp") is { } exp
                ? new TokenContents(alg, kid, typ, new AccessToken(jti, sub, username, iss, aud, iat, nbf, exp, sid, scope, clientId, methods, roles))
                : null;
    }

    /// <summary>
    /// The <c>username</c>, which every user's token has. Only a service client's token (the client credentials grant)
    /// has none, and it is recognised strictly: <c>client_id</c> present and equal to <c>sub</c>, no session, no sign-in
    /// methods, no roles. It then reads as "" (<see cref="AccessToken.IsServiceClient"/>); anything else without a username is
    /// refused, so a user's token stripped of its name never passes for a client's.
    /// </summary>
    private static string? Username(
        JsonElement payload, string subject, string? sessionId, string? clientId, IReadOnlyList<string>? methods, IReadOnlyList<string>? roles)
    {
        if (payload.TryGetProperty(TokenIssuer.UsernameClaim, out var value))
        {
            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
        }

        // roles is null only when the claim is absent (a present one is read above, or the token is refused).
        return clientId is not null && string.Equals(clientId, subject, StringComparison.Ordinal) && sessionId is null && methods is null && roles is null
            ? string.Empty
            : null;
    }

    private static byte[]? Decode(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return null;
        }

        // JSON text is UTF-8 (RFC 8259 §8.1): other bytes are refused here, not met later inside a string.
        var bytes = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        return Base64Url.DecodeFromChars(part, bytes, out var consumed, out var written) == System.Buffers.OperationStatus.Done
            && consumed == part.Length
            && Utf8.IsValid(bytes.AsSpan(0, written))
                ? bytes[..written]
                : null;
    }

    private static bool IsObjectWithUniqueMembers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A member that must be a non-empty JSON string; null when absent or anything else.</summary>
    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    /// <summary>A non-empty JSON array of non-empty strings, or null when it is anything else.</summary>
    private static List<string>? Strings(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return null;
        }

        var strings = new List<string>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text)
            {
                return null;
            }

            strings.Add(text);
        }

        return strings;
    }

    /// <summary>
    /// A <c>roles</c> claim: a JSON array of 1 to <see cref="Accounts.Roles.MaxPerUser"/> valid, distinct role names, or null
    /// when it is anything else.
    /// </summary>
    private static string[]? RoleNames(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > Accounts.Roles.MaxPerUser)
        {
            return null;
        }

        var roles = new string[value.GetArrayLength()];
        var count = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } name || !Accounts.Roles.IsValidName(name)
                || Array.IndexOf(roles, name, 0, count) >= 0)
            {
                return null;
            }

            roles[count++] = name;
        }

        return roles;
    }

    /// <summary>A NumericDate (RFC 7519 §2): a JSON number of seconds, never a string that looks like one.</summary>
    private static DateTimeOffset? NumericDate(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetDouble(out var seconds)
        && seconds is >= 0 and <= MaxNumericDate
            ? DateTimeOffset.UnixEpoch.AddSeconds(seconds)
            : null;
}
