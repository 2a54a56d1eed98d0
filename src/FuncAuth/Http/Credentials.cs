using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>A username and password as sent to register or login, checked for shape but not yet for truth.</summary>
internal sealed record Credentials(Username Username, string Password)
{
    /// <summary>OWASP ASVS: at least 8 characters, at least 64 allowed, no composition rules.</summary>
    public const int MinPasswordLength = 8;

    public const int MaxPasswordLength = 128;

    /// <summary>Two short fields: a body larger than this is not a credentials request.</summary>
    public const int MaxBodyBytes = 8 * 1024;

    public const string JsonMediaType = "application/json";

    public const string FormMediaType = "application/x-www-form-urlencoded";

    private const string UsernameDescription =
        "1 to 64 UTF-16 code units after Unicode NFKC normalisation and trimming; compared by Unicode case folding. " +
        "Control, invisible, private-use and unassigned characters are refused.";

    private const string PasswordDescription =
        "At most 128 UTF-16 code units; for a new account (register), at least 8 after Unicode NFKC normalisation.";

    // Throws on invalid bytes instead of replacing them, so a malformed form is refused, not guessed at.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads credentials from a JSON body, or a form body when <paramref name="allowForm"/> (login, like an
    /// OAuth 2.0 password form). On failure answers null and the problem to send.
    /// </summary>
    public static async Task<(Credentials? Credentials, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, bool allowForm, bool isNewPassword, CancellationToken cancellationToken)
    {
        _ = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType);
        var isJson = mediaType?.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase) == true;
        var isForm = allowForm && mediaType?.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase) == true;
        // A parameter value may be a quoted string (RFC 9110 §5.6.6): charset="utf-8" is charset=utf-8.
        var isUtf8 = mediaType?.Charset.HasValue != true
            || HeaderUtilities.RemoveQuotes(mediaType.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        if (!(isJson || isForm) || !isUtf8)
        {
            var accepted = allowForm ? $"{JsonMediaType} or {FormMediaType}" : JsonMediaType;
            return (null, Problems.UnsupportedMediaType($"Send the credentials as {accepted} (UTF-8)."));
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return (null, Problems.TooLarge(MaxBodyBytes));
        }

        var (username, password, problem) = isForm ? ParseForm(body) : ParseJson(body);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (!Username.TryCreate(username, out var name, out var error))
        {
            return (null, Problems.Invalid("username", error!));
        }

        var (normalizedPassword, passwordError) = CheckPassword(password, isNewPassword);
        return passwordError is not null
            ? (null, Problems.Invalid("password", passwordError))
            : (new Credentials(name!, normalizedPassword!), null);
    }

    /// <summary>
    /// The password in Unicode normal form KC (NIST SP 800-63B §5.1.1.2), so the same password typed on
    /// another keyboard or platform still matches; or why it cannot be used.
    /// </summary>
    private static (string? Password, string? Error) CheckPassword(string? password, bool isNewPassword)
    {
        if (string.IsNullOrEmpty(password))
        {
            return (null, "The password is required.");
        }

        if (password.Length > MaxPasswordLength)
        {
            return (null, $"The password must be at most {MaxPasswordLength} characters.");
        }

        string normalized;
        try
        {
            normalized = password.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return (null, "The password contains invalid Unicode.");
        }

        return isNewPassword && normalized.Length < MinPasswordLength
            ? (null, $"The password must be at least {MinPasswordLength} characters.")
            : (normalized, null);
    }

    /// <summary>The body, or null when it is over the limit (whether or not Content-Length said so).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > MaxBodyBytes ? null : buffer[..length];
    }

    private static (string? Username, string? Password, ProblemHttpResult? Problem) ParseJson(byte[] body)
    {
        try
        {
            var fields = JsonSerializer.Deserialize(body, CredentialsJsonContext.Default.CredentialsBody);
            return fields is null
                ? (null, null, Problems.BadRequest("The body must be a JSON object with \"username\" and \"password\"."))
                : (fields.Username, fields.Password, null);
        }
        catch (JsonException)
        {
            // The parser's message may quote the body, and so a password: say only what is wrong.
            return (null, null, Problems.BadRequest("The body is not valid JSON of the form {\"username\": \"...\", \"password\": \"...\"}."));
        }
    }

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> as the WHATWG URL standard parses it, except that the bytes
    /// percent-decoding yields must be UTF-8: <c>%FF</c> is refused rather than read as U+FFFD (which would turn a
    /// malformed request into a different name or password).
    /// </summary>
    private static (string? Username, string? Password, ProblemHttpResult? Problem) ParseForm(byte[] body)
    {
        string? username = null;
        string? password = null;
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
                return (null, null, Problems.BadRequest("The form body is not valid UTF-8 once percent-decoded."));
            }

            if ((name == "username" && username is not null) || (name == "password" && password is not null))
            {
                return (null, null, Problems.BadRequest("Send each of \"username\" and \"password\" once."));
            }

            username = name == "username" ? value : username;
            password = name == "password" ? value : password;
        }

        return (username, password, null);
    }

    /// <summary>'+' is a space, %XX a byte (a '%' without two hex digits stays as it is); the bytes must be UTF-8.</summary>
    private static bool TryDecodeFormComponent(ReadOnlySpan<byte> raw, out string text)
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

    /// <summary>The body of register and login, as JSON or form fields. Missing fields are read as null and refused.</summary>
    internal sealed class CredentialsBody
    {
        [JsonPropertyName("username")]
        [Required]
        [Description(UsernameDescription)]
        public string? Username { get; init; }

        [JsonPropertyName("password")]
        [Required]
        [Description(PasswordDescription)]
        public string? Password { get; init; }
    }
}

/// <summary>Strict JSON for credentials: a property given twice is an error, not a guess at which one counts.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(Credentials.CredentialsBody))]
internal sealed partial class CredentialsJsonContext : JsonSerializerContext;
