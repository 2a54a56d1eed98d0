using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

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
                await users.UpdatePasswordHashAsync(account, hasher.Hash(password), cancellationToken);
                return account;
            case PasswordCheck.Succeeded:
                return account;
            default:
                return null;
        }
    }
}
