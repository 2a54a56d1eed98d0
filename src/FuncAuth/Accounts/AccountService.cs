using FuncAuth.Email;
using FuncAuth.Sessions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>
/// Creates users, changes their passwords and deletes them. Every password check goes through
/// <see cref="GuardedPasswordCheck"/> (reserved against the name's lockout before it is made). A change or deletion
/// rotates the user's security stamp first, and only then writes the cut-off and ends the sessions: a sign-in checked
/// against the old state either has its session ended by that sweep or sees the new stamp itself (see
/// <see cref="PasswordSignIn"/>).
/// </summary>
internal sealed class AccountService(
    UserStore users,
    GuardedPasswordCheck passwords,
    PasswordPolicy policy,
    SessionService sessions,
    EmailAddressStore addresses,
    Mfa.TotpStore totp,
    Passkeys.PasskeyStore passkeys,
    AccountMail mail,
    TimeProvider time,
    IOptions<RegistrationOptions> registration,
    IOptions<AccountOptions> accountOptions)
{
    public bool RegistrationEnabled => registration.Value.Enabled;

    /// <summary><c>FuncAuth:Accounts:RequireEmail</c>: a registration must give an address.</summary>
    public bool EmailRequired => accountOptions.Value.RequireEmail;

    /// <summary>Why a new password cannot be used (see <see cref="PasswordPolicy"/>), or null when it can.</summary>
    public string? RefusePassword(string password, Username username) => policy.Refuse(password, username);

    /// <summary>
    /// Creates the user, with the address (unconfirmed) when one is given. The address is claimed first, for the new id
    /// and the name's key, and only then the user added: the claim is what makes an address one account's, and a claim
    /// whose account never got written (the name taken, a fault in between) is given back here or, failing that, taken
    /// over by the next claimant once it is stale (see <see cref="EmailAddressStore"/>).
    /// </summary>
    public async Task<Registration> RegisterAsync(Username username, string password, EmailAddress? email, CancellationToken cancellationToken)
    {
        var account = new UserAccount(
            username.Key, Guid.NewGuid().ToString("D"), username.Display, await passwords.HashAsync(password, cancellationToken), default,
            SecurityStamp: SecurityStamp.New(), Email: email?.Value, EmailConfirmed: false, CreatedAt: time.GetUtcNow());
        if (email is not null && !await addresses.TryClaimAsync(email, account.Key, account.Id, cancellationToken))
        {
            return Registration.EmailTaken;
        }

        if (await users.TryAddAsync(account, cancellationToken) == UserAdded.Added)
        {
            await mail.SendConfirmationAsync(account);
            return Registration.Created(account);
        }

        if (email is not null)
        {
            // The name is taken: the address goes back, whether or not the client still waits.
            await addresses.ReleaseAsync(email, account.Id, CancellationToken.None);
        }

        return Registration.UsernameTaken;
    }

    /// <summary>The user <paramref name="userId"/> if the name still belongs to them (and the account is not being deleted), else null.</summary>
    public async Task<UserAccount?> FindAsync(Username username, string userId, CancellationToken cancellationToken) =>
        await users.FindAsync(username, cancellationToken) is { } account && account.Id == userId ? account : null;

    /// <summary>The account a bearer token was issued for, read by its name and still its user; null when gone (or never valid).</summary>
    public async Task<UserAccount?> FindCallerAsync(Tokens.AccessToken caller, CancellationToken cancellationToken) =>
        Username.TryCreate(caller.Username, out var username, out _) ? await FindAsync(username!, caller.Subject, cancellationToken) : null;

    /// <summary>
    /// Changes the password of the user <paramref name="userId"/> (named <paramref name="username"/>) after checking the
    /// current one (which counts against lockout as a login does). The new hash and a new stamp are one write, conditional
    /// on the account being as it was checked; then the caller's session <paramref name="keepSessionId"/> takes the new
    /// stamp, every access token issued before now but that session's is refused, and every other session ends.
    /// </summary>
    public async Task<PasswordChange> ChangePasswordAsync(
        Username username, string userId, Password currentPassword, string newPassword, string? keepSessionId, CancellationToken cancellationToken)
    {
        var check = await passwords.CheckAsync(username, currentPassword, userId, cancellationToken);
        if (Refusal(check) is { } refused)
        {
            return refused;
        }

        var hash = await passwords.HashAsync(newPassword, cancellationToken);
        if (await users.TryChangePasswordAsync(check.Account!, hash, CancellationToken.None) is not { } changed)
        {
            return PasswordChange.Conflict;
        }

        // The password has changed: what follows must finish even if the client hangs up.
        if (keepSessionId is not null)
        {
            await sessions.AdoptStampAsync(userId, keepSessionId, changed.SecurityStamp);
        }

        await sessions.EndAllAsync(userId, keepSessionId, "password change");
        await mail.NotifyAsync(OutboxKinds.PasswordChanged, changed);
        return PasswordChange.Changed;
    }

    /// <summary>
    /// Deletes the user after checking the password again (it counts against lockout as a login does): null when done,
    /// else why not (<see cref="PasswordChange.WrongPassword"/> or <see cref="PasswordChange.NoAccount"/>). The removal
    /// itself is <see cref="RemoveAsync"/>, the one an administrator's deletion uses too.
    /// </summary>
    public async Task<PasswordChange?> DeleteAsync(Username username, string userId, Password password, CancellationToken cancellationToken)
    {
        var check = await passwords.CheckAsync(username, password, userId, cancellationToken);
        if (Refusal(check) is { } refused)
        {
            return refused;
        }

        await RemoveAsync(username, check.Account!, "account deleted");
        return null;
    }

    /// <summary>
    /// Removes the user and everything of theirs, whoever asked (the owner, an administrator). The order is what makes it
    /// hold against sign-ins at the same time: the stamp rotated (and the account marked closing), the user's cut-off,
    /// every session ended, and only then the row removed (a fault halfway leaves an account that can no longer be used
    /// by anyone signed in; a retry finishes it). Not under the request's cancellation: once begun, it finishes.
    /// </summary>
    public async Task RemoveAsync(Username username, UserAccount account, string reason)
    {
        var userId = account.Id;
        await users.RotateStampAsync(username, userId, CancellationToken.None, closing: true);
        await sessions.EndAllAsync(userId, keepSessionId: null, reason);
        await users.DeleteAsync(username, userId, CancellationToken.None);

        // Only once the row is gone: an address released earlier could be claimed by another account while this one,
        // still holding it, could yet be used.
        if (account.Email is { } email && EmailAddress.TryCreate(email, out var address, out _))
        {
            await addresses.ReleaseAsync(address, userId, CancellationToken.None);
        }

        // Its second factor and passkeys go with it. Nothing could use them any more (every sign-in reads the account), but
        // an encrypted secret is still the user's data, and a passkey's claim on its credential id would keep that
        // authenticator from being registered to a new account.
        await totp.RemoveAllAsync(userId, CancellationToken.None);
        await passkeys.RemoveAllAsync(userId, CancellationToken.None);
    }

    /// <summary>Why an owner's re-check refuses the step, or null when the password is right.</summary>
    private static PasswordChange? Refusal(CheckedPassword check) => check.Verdict switch
    {
        PasswordVerdict.NoAccount => PasswordChange.NoAccount,
        PasswordVerdict.Wrong => PasswordChange.WrongPassword,
        _ => null,
    };
}

/// <summary>What a registration came to: the new account, or which of its name and address is taken.</summary>
internal sealed record Registration(RegistrationOutcome Outcome, UserAccount? Account)
{
    public static Registration UsernameTaken { get; } = new(RegistrationOutcome.UsernameTaken, null);

    public static Registration EmailTaken { get; } = new(RegistrationOutcome.EmailTaken, null);

    public static Registration Created(UserAccount account) => new(RegistrationOutcome.Created, account);
}

internal enum RegistrationOutcome
{
    Created,
    UsernameTaken,
    EmailTaken,
}
