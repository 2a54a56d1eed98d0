namespace FuncAuth.Accounts;

/// <summary>What an account must have: <c>FuncAuth:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "FuncAuth:Accounts";

    /// <summary><c>register</c> refuses a request without an email address.</summary>
    public bool RequireEmail { get; set; }

    /// <summary>
    /// A sign-in (login, password grant) with the right password for an account whose address is not confirmed is refused
    /// with its own answer; only after the right password, so it tells a guesser nothing.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; }
}
