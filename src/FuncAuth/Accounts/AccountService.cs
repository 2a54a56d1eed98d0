using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>What a password change came to.</summary>
internal enum PasswordChange
{
    Changed,

    /// <summary>The current password given is not the account's: nothing changed.</summary>
    WrongPassword,

    /// <summary>The token's user no longer exists (or the name now belongs to another account).</summary>
    NoAccount,

    /// <summary>The account changed between the check and the write (another change at once): nothing changed.</summary>
    Conflict,
}

/// <summary>Creates users and checks their passwords.</summary>
internal sealed class AccountService(UserStore users, PasswordHasher hasher, IOptions<RegistrationOptions> registration)
{
    public bool RegistrationEnabled => registration.Value.Enabled;

    /// <summary>Creates the user, or answers null when the name is taken.</summary>
    public async Task<UserAccount?> RegisterAsync(Username username, string password, CancellationToken cancellationToken)
    {
        var account = new UserAccount(username.Key, Guid.NewGuid().ToString("D"), username.Display, hasher.Hash(password), default);
        return await users.TryAddAsync(account, cancellationToken) ? account : null;
    }

    /// <summary>The user whose password this is, or null; the two kinds of failure are indistinguishable.</summary>
    public async Task<UserAccount?> AuthenticateAsync(Username username, string password, CancellationToken cancellationToken)
    {
        var account = await users.FindAsync(username, cancellationToken);
        if (account is null)
        {
            // Spend the same work as a wrong password, so timing does not reveal who has an account.
            hasher.VerifyNothing(password);
            return null;
        }

        switch (hasher.Verify(password, account.PasswordHash))
        {
            case PasswordCheck.SucceededButOutdated:
                // A lost race is harmless: whoever updated the user first, their write stands.
                await users.TryUpdatePasswordHashAsync(account, hasher.Hash(password), cancellationToken);
                return account;
            case PasswordCheck.Succeeded:
                return account;
            default:
                return null;
        }
    }

    /// <summary>
    /// Changes the password of the user <paramref name="userId"/> (named <paramref name="username"/>) after checking the
    /// current one; the write is conditional on the account being unchanged since it was read.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(
        Username username, string userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var account = await users.FindAsync(username, cancellationToken);
        if (account is null || account.Id != userId)
        {
            hasher.VerifyNothing(currentPassword);
            return PasswordChange.NoAccount;
        }

        if (hasher.Verify(currentPassword, account.PasswordHash) == PasswordCheck.Failed)
        {
            return PasswordChange.WrongPassword;
        }

        return await users.TryUpdatePasswordHashAsync(account, hasher.Hash(newPassword), cancellationToken)
            ? PasswordChange.Changed
            : PasswordChange.Conflict;
    }
}
