namespace FuncAuth.Admin;

/// <summary>Administration: <c>FuncAuth:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "FuncAuth:Admin";

    /// <summary>The scope a service client needs for the admin API (client credentials grant).</summary>
    public const string Scope = "funcauth.admin";

    /// <summary>The role that may use the admin API (a role name, see <c>Roles.Rule</c>); default <c>funcauth-admin</c>.</summary>
    public string Role { get; set; } = "funcauth-admin";

    /// <summary>
    /// Accounts given <see cref="Role"/> at start-up, by username, so the first administrator needs no database edit. A name
    /// with no account yet is logged and tried again at the next start; removing a name here takes nothing away.
    /// </summary>
    public IList<string> BootstrapUsernames { get; } = [];
}
