namespace FuncAuth.Accounts;

/// <summary>What a password change came to.</summary>
internal enum PasswordChange
{
    Changed,

    /// <summary>The current password given is not the account's (or the account is locked): nothing changed.</summary>
    WrongPassword,

    /// <summary>The token's user no longer exists (or the name now belongs to another account).</summary>
    NoAccount,

    /// <summary>The account changed between the check and the write (another change at once): nothing changed.</summary>
    Conflict,
}
