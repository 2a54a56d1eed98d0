using System.ComponentModel;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;

namespace FuncAuth.Admin;

/// <summary>A user as the admin API shows it.</summary>
public sealed record AdminUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("email_confirmed")] bool EmailConfirmed,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("disabled")] bool Disabled,
    [property: JsonPropertyName("locked_until")] DateTimeOffset? LockedUntil,
    [property: JsonPropertyName("created_at")] DateTimeOffset? CreatedAt,
    [property: JsonPropertyName("last_sign_in_at")] DateTimeOffset? LastSignInAt,
    [property: JsonPropertyName("mfa_enabled")] bool MfaEnabled);

/// <summary>200 from <c>GET api/admin/users</c>: a page of users, and the cursor of the next (null at the end).</summary>
public sealed record AdminUserList(
    [property: JsonPropertyName("users")] IReadOnlyList<AdminUser> Users,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>The body of <c>PATCH api/admin/users/{id}</c>: at least one of its fields.</summary>
internal sealed class AdminUserPatchBody
{
    [JsonPropertyName("roles")]
    [Description("The user's roles from now on (the whole set, replacing the old one; [] for none): at most 32 names, each " +
        FuncAuth.Accounts.Roles.Rule + ". Duplicates are dropped. Omitted: unchanged.")]
    public List<string?>? Roles { get; init; }

    [JsonPropertyName("disabled")]
    [Description("true disables the account (no sign-in; every session ended, every earlier access token refused); false " +
        "enables it again (nothing ended comes back). Omitted: unchanged.")]
    public bool? Disabled { get; init; }
}

/// <summary>Strict JSON for the admin API's bodies and cursors: a property given twice is an error.</summary>
[JsonSourceGenerationOptions(AllowDuplicateProperties = false, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(AdminUserPatchBody))]
[JsonSerializable(typeof(CursorState))]
internal sealed partial class AdminJson : JsonSerializerContext;
