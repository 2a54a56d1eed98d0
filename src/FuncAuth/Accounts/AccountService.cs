using FuncAuth.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Creates users and checks their passwords. Every password check counts against the name's lockout (see
/// <see cref="LoginAttempts"/>); a locked name is refused exactly as a wrong password is, after the same work, and an
/// unknown name is counted and locked the same way: neither answers nor timing tell who has an account.
/// </summary>
internal sealed partial class AccountService(
    UserStore users,
    PasswordHasher hasher,
    PasswordPolicy policy,
    PasswordWork work,
    LoginAttempts attempts,
    IOptions<RegistrationOptions> registration,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public bool RegistrationEnabled => registration.Value.Enabled;

    /// <summary>Why a new password cannot be used (see <see cref="PasswordPolicy"/>), or null when it can.</summary>
    public string? RefusePassword(string password, Username username) => policy.Refuse(password, username);

    /// <summary>Creates the user, or answers null when the name is taken.</summary>
    public async Task<UserAccount?> RegisterAsync(Username username, string password, CancellationToken cancellationToken)
    {
        var account = new UserAccount(username.Key, Guid.NewGuid().ToString("D"), username.Display, await HashAsync(password, cancellationToken), default);
        return await users.TryAddAsync(account, cancellationToken) ? account : null;
    }

    /// <summary>The user whose password this is, or null; every kind of failure (locked included) is indistinguishable.</summary>
    public async Task<UserAccount?> AuthenticateAsync(Username username, string password, CancellationToken cancellationToken)
    {
        var (account, state) = await ReadAsync(username, cancellationToken);
        var locked = state?.IsLocked(time.GetUtcNow()) == true;

        // Locked: the same work and the same answer as a wrong password, and not another failure.
        var check = await CheckAsync(locked ? null : account, password, cancellationToken);
        if (locked)
        {
            SecurityEvents.LoginRefusedWhileLocked(logger, account?.Id);
            return null;
        }

        if (check == PasswordCheck.Failed)
        {
            await CountFailureAsync(username, account, cancellationToken);
            return null;
        }

        if (state is not null)
        {
            await attempts.ResetAsync(username, cancellationToken);
        }

        if (check == PasswordCheck.SucceededButOutdated)
        {
            // A lost race is harmless: whoever updated the user first, their write stands.
            await users.TryUpdatePasswordHashAsync(account!, await HashAsync(password, cancellationToken), cancellationToken);
        }

        return account;
    }

    /// <summary>
    /// Changes the password of the user <paramref name="userId"/> (named <paramref name="username"/>) after checking the
    /// current one (which counts against lockout as a login does); the write is conditional on the account being
    /// unchanged since it was read.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(
        Username username, string userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var (refusal, account) = await CheckOwnPasswordCoreAsync(username, userId, currentPassword, cancellationToken);
        if (refusal is { } refused)
        {
            return refused;
        }

        return await users.TryUpdatePasswordHashAsync(account!, await HashAsync(newPassword, cancellationToken), cancellationToken)
            ? PasswordChange.Changed
            : PasswordChange.Conflict;
    }

    /// <summary>
    /// Re-authentication of a signed-in user for a step that cannot be undone: null when the password is right, else
    /// why not (<see cref="PasswordChange.WrongPassword"/> or <see cref="PasswordChange.NoAccount"/>); it counts against
    /// lockout as a login does.
    /// </summary>
    public async Task<PasswordChange?> CheckOwnPasswordAsync(Username username, string userId, string password, CancellationToken cancellationToken) =>
        (await CheckOwnPasswordCoreAsync(username, userId, password, cancellationToken)).Refusal;

    /// <summary>Removes the user (a missing one is no error).</summary>
    public Task DeleteAsync(Username username, string userId, CancellationToken cancellationToken) =>
        users.DeleteAsync(username, userId, cancellationToken);

    private async Task<(PasswordChange? Refusal, UserAccount? Account)> CheckOwnPasswordCoreAsync(
        Username username, string userId, string currentPassword, CancellationToken cancellationToken)
    {
        var (account, state) = await ReadAsync(username, cancellationToken);
        if (account is null || account.Id != userId)
        {
            await CheckAsync(null, currentPassword, cancellationToken);
            return (PasswordChange.NoAccount, null);
        }

        if (state?.IsLocked(time.GetUtcNow()) == true)
        {
            await CheckAsync(null, currentPassword, cancellationToken);
            SecurityEvents.LoginRefusedWhileLocked(logger, account.Id);
            return (PasswordChange.WrongPassword, account);
        }

        if (await CheckAsync(account, currentPassword, cancellationToken) == PasswordCheck.Failed)
        {
            await CountFailureAsync(username, account, cancellationToken);
            return (PasswordChange.WrongPassword, account);
        }

        if (state is not null)
        {
            await attempts.ResetAsync(username, cancellationToken);
        }

        return (null, account);
    }

    private async Task<(UserAccount? Account, LoginAttemptState? State)> ReadAsync(Username username, CancellationToken cancellationToken)
    {
        // Two point reads at once: the lockout costs no extra round trip.
        var account = users.FindAsync(username, cancellationToken);
        var state = attempts.ReadAsync(username, cancellationToken);
        await Task.WhenAll(account, state);
        return (await account, await state);
    }

    /// <summary>
    /// The password check, for <paramref name="account"/> or (null) against nothing: the same work as a wrong password,
    /// so timing does not reveal who has an account or who is locked. See <see cref="PasswordWork"/>.
    /// </summary>
    private async Task<PasswordCheck> CheckAsync(UserAccount? account, string password, CancellationToken cancellationToken)
    {
        using (await work.EnterAsync(cancellationToken))
        {
            if (account is null)
            {
                hasher.VerifyNothing(password);
                return PasswordCheck.Failed;
            }

            return hasher.Verify(password, account.PasswordHash);
        }
    }

    private async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        using (await work.EnterAsync(cancellationToken))
        {
            return hasher.Hash(password);
        }
    }

    private async Task CountFailureAsync(Username username, UserAccount? account, CancellationToken cancellationToken)
    {
        if (await attempts.RecordFailureAsync(username, cancellationToken) is { } lockout)
        {
            SecurityEvents.AccountLocked(logger, account?.Id, lockout);
        }
    }
}
