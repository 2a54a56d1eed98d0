using System.Text.Json;
using FuncAuth.Accounts;
using FuncAuth.Email;

namespace FuncAuth.Import;

/// <summary>
/// One line of an import, checked: a valid name, id, address, roles and hash, nothing else. Parsed by hand from the JSON so
/// that a refusal can say which field is wrong (an unknown one by name) without echoing the parser's message, which may quote
/// the line and so a hash.
/// </summary>
internal sealed record ImportLine(
    long Number, Username Username, string? Id, EmailAddress? Email, bool EmailConfirmed, IReadOnlyList<string> Roles, string? PasswordHash)
{
    public const string UsernameField = "username";
    public const string IdField = "id";
    public const string EmailField = "email";
    public const string EmailConfirmedField = "email_confirmed";
    public const string RolesField = "roles";
    public const string PasswordHashField = "password_hash";

    private static readonly HashSet<string> Fields = [UsernameField, IdField, EmailField, EmailConfirmedField, RolesField, PasswordHashField];

    /// <summary>The line, or why it is refused (with its username when that much was valid, so the answer can name it).</summary>
    public static (ImportLine? Line, ImportLineResult? Refused) Parse(long number, ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return (null, ImportLineResult.Refuse(number, null, "The line is not valid JSON."));
        }

        using (document)
        {
            try
            {
                return Read(number, document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // A string escaping half a surrogate pair (\ud800 alone) is valid JSON but no text.
                return (null, ImportLineResult.Refuse(number, null, "The line holds a string that is not valid Unicode."));
            }
        }
    }

    private static (ImportLine? Line, ImportLineResult? Refused) Read(long number, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, ImportLineResult.Refuse(number, null, "The line must be a JSON object."));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!Fields.Contains(member.Name))
            {
                // Named only when it looks like a field name: the answer never carries arbitrary text of the request.
                var named = member.Name is { Length: <= 40 } n && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"\"{n}\"" : "a field";
                return (null, ImportLineResult.Refuse(number, null, $"The line has {named} FuncAuth does not know; the fields are username, id, email, email_confirmed, roles and password_hash."));
            }

            if (!seen.Add(member.Name))
            {
                return (null, ImportLineResult.Refuse(number, null, $"The line gives \"{member.Name}\" twice."));
            }
        }

        if (!root.TryGetProperty(UsernameField, out var usernameValue) || usernameValue.ValueKind != JsonValueKind.String)
        {
            return (null, ImportLineResult.Refuse(number, null, "\"username\" is required, a string."));
        }

        if (!Username.TryCreate(usernameValue.GetString(), out var username, out var usernameError))
        {
            return (null, ImportLineResult.Refuse(number, null, usernameError!));
        }

        var name = username!.Display;
        if (OptionalString(root, IdField, out var id) is { } idKind)
        {
            return (null, ImportLineResult.Refuse(number, name, idKind));
        }

        if (id is not null && !UserIds.IsValid(id))
        {
            return (null, ImportLineResult.Refuse(number, name, $"\"id\" must be {UserIds.Rule}."));
        }

        if (OptionalString(root, EmailField, out var emailText) is { } emailKind)
        {
            return (null, ImportLineResult.Refuse(number, name, emailKind));
        }

        EmailAddress? email = null;
        if (emailText is not null && !EmailAddress.TryCreate(emailText, out email, out var emailError))
        {
            return (null, ImportLineResult.Refuse(number, name, emailError));
        }

        var confirmed = false;
        if (root.TryGetProperty(EmailConfirmedField, out var confirmedValue))
        {
            if (confirmedValue.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, ImportLineResult.Refuse(number, name, "\"email_confirmed\" must be true or false."));
            }

            confirmed = confirmedValue.GetBoolean();
            if (confirmed && email is null)
            {
                return (null, ImportLineResult.Refuse(number, name, "\"email_confirmed\" is true but the line has no email."));
            }
        }

        IReadOnlyList<string> roles = [];
        if (root.TryGetProperty(RolesField, out var rolesValue) && rolesValue.ValueKind != JsonValueKind.Null)
        {
            if (rolesValue.ValueKind != JsonValueKind.Array || rolesValue.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                return (null, ImportLineResult.Refuse(number, name, "\"roles\" must be an array of strings."));
            }

            if (Accounts.Roles.Normalize(rolesValue.EnumerateArray().Select(r => r.GetString()), out var rolesError) is not { } normalized)
            {
                return (null, ImportLineResult.Refuse(number, name, rolesError!));
            }

            roles = normalized;
        }

        if (OptionalString(root, PasswordHashField, out var hash) is { } hashKind)
        {
            return (null, ImportLineResult.Refuse(number, name, hashKind));
        }

        // Checked now, not at the first sign-in: a hash no one can ever verify would lock its owner out unseen.
        if (hash is not null && !PasswordHasher.IsWellFormed(hash) && ForeignPasswordHashes.Recognize(hash, out var hashError) is null)
        {
            return (null, ImportLineResult.Refuse(number, name, hashError!));
        }

        return (new ImportLine(number, username, id, email, confirmed, roles, hash), null);
    }

    /// <summary>Null when the field is absent, null or a string (then in <paramref name="value"/>); else why not.</summary>
    private static string? OptionalString(JsonElement root, string field, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return $"\"{field}\" must be a string.";
        }

        value = element.GetString();
        return null;
    }
}
