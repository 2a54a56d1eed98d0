using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>A username and password as sent to register or login, checked for shape but not yet for truth.</summary>
internal sealed record Credentials(Username Username, Password Password)
{
    public const int MaxPasswordLength = Accounts.Password.MaxLength;

    internal const string UsernameDescription =
        "1 to 64 UTF-16 code units after Unicode NFKC normalisation and trimming; compared by Unicode case folding. " +
        "Control, invisible, private-use and unassigned characters are refused.";

    internal const string PasswordDescription =
        "At most 128 UTF-16 code units. For a new account (register): at least 8 after Unicode NFKC normalisation " +
        "(FuncAuth:Passwords:MinimumLength), not one of the 30,000 most common passwords, and not containing the username.";

    /// <summary>
    /// Reads credentials from a body the runner has already checked for media type and size: JSON, or a form
    /// (login, like an OAuth 2.0 password form). On failure answers null and the problem to send.
    /// </summary>
    public static (Credentials? Credentials, ProblemHttpResult? Problem) Parse(byte[] body, bool isForm)
    {
        var (username, password, problem) = isForm ? ParseForm(body) : ParseJson(body);
        return problem is not null ? (null, problem) : Check(username, password);
    }

    /// <summary>A username and password read from a body, checked for shape; on failure null and the problem naming the field.</summary>
    public static (Credentials? Credentials, ProblemHttpResult? Problem) Check(string? username, string? password)
    {
        if (!Username.TryCreate(username, out var name, out var error))
        {
            return (null, Problems.Invalid("username", error!));
        }

        var (normalizedPassword, passwordError) = CheckPassword(password);
        return passwordError is not null
            ? (null, Problems.Invalid("password", passwordError))
            : (new Credentials(name!, normalizedPassword!), null);
    }

    /// <summary>
    /// The password checked for form and in Unicode normal form KC by FuncAuth's own tables (see <see cref="Accounts.Password"/>);
    /// or why it cannot be used.
    /// </summary>
    public static (Password? Password, string? Error) CheckPassword(string? password) =>
        Accounts.Password.TryCreate(password, out var checkedPassword, out var error) ? (checkedPassword, null) : (null, error);

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

    private static (string? Username, string? Password, ProblemHttpResult? Problem) ParseForm(byte[] body)
    {
        if (RequestBody.ParseForm(body) is not { } fields)
        {
            return (null, null, Problems.BadRequest("The form body is not valid UTF-8 once percent-decoded."));
        }

        string? username = null;
        string? password = null;
        foreach (var (name, value) in fields)
        {
            if ((name == "username" && username is not null) || (name == "password" && password is not null))
            {
                return (null, null, Problems.BadRequest("Send each of \"username\" and \"password\" once."));
            }

            username = name == "username" ? value : username;
            password = name == "password" ? value : password;
        }

        return (username, password, null);
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
