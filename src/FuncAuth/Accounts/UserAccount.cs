using Azure;

namespace FuncAuth.Accounts;

/// <summary>
/// A stored user. <see cref="Id"/> is stable and is what tokens name as <c>sub</c>; <see cref="KeyScheme"/>
/// says how <see cref="Key"/> was made from the name (see <see cref="Accounts.Username.KeyScheme"/>).
/// <see cref="SecurityStamp"/> changes whenever what proves the user changes (password change, account deletion,
/// logout everywhere): a session records the stamp its password was checked against, and one with another stamp is
/// over (see <see cref="Accounts.SecurityStamp"/>). <see cref="Email"/> is the account's address (validated, see
/// <see cref="Email.EmailAddress"/>) or null, <see cref="EmailConfirmed"/> whether its owner proved they read it;
/// <see cref="CreatedAt"/> is null for accounts made before it was recorded. <see cref="Roles"/> are the user's roles (see
/// <see cref="Accounts.Roles"/>), issued in tokens; a <see cref="Disabled"/> account cannot sign in (an administrator's switch).
/// </summary>
internal sealed record UserAccount(
    string Key, string Id, string Username, string PasswordHash, ETag ETag, int KeyScheme = Accounts.Username.KeyScheme, string SecurityStamp = "",
    string? Email = null, bool EmailConfirmed = false, DateTimeOffset? CreatedAt = null, IReadOnlyList<string>? Roles = null, bool Disabled = false)
{
    /// <summary>The user's roles, none for rows from before roles were recorded.</summary>
    public IReadOnlyList<string> RoleNames => Roles ?? [];
}
