using FuncAuth.Accounts;
using FuncAuth.Mfa;
using FuncAuth.Sessions;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Admin;

/// <summary>What an administrator's change of a user came to.</summary>
internal enum AdminChange
{
    Changed,
    NotFound,

    /// <summary>The user kept changing under the administrator's writes (lost every ETag race): nothing more was written.</summary>
    Conflict,

    /// <summary>An administrator tried to disable themselves, take their own admin role away or delete themselves.</summary>
    Self,
}

/// <summary>
/// The admin API's work on users: find them by id, page through them, change their roles or disable them, delete them, sign
/// them out everywhere, lift their lockout. Each step reuses the step the user's own request takes (account deletion, logout
/// everywhere, a password reset's unlock), so an administrator's doing keeps the same promises.
/// </summary>
internal sealed class UserAdministration(
    UserStore users,
    AccountService accounts,
    SessionService sessions,
    LoginAttempts attempts,
    TotpStore totp,
    IOptions<AdminOptions> options)
{
    // Each lost race re-reads the user and applies the change again; a handful of rounds settles any real contention.
    private const int Rounds = 8;

    // Per-user extras of a page are point reads, this many at once.
    private const int ReadsInParallel = 16;

    /// <summary>The user with the id (null for none, and for an id that cannot be one).</summary>
    public Task<UserAccount?> FindAsync(string? id, CancellationToken cancellationToken) =>
        UserIds.IsValid(id) ? users.FindByIdAsync(id!, cancellationToken) : Task.FromResult<UserAccount?>(null);

    /// <summary>The user as the admin API shows it: the account, and its lockout, last sign-in and second factor (read at once).</summary>
    public async Task<AdminUser> ViewAsync(UserAccount account, CancellationToken cancellationToken)
    {
        var locked = Username.TryCreate(account.Username, out var username, out _)
            ? attempts.LockedUntilAsync(username!, cancellationToken)
            : Task.FromResult<DateTimeOffset?>(null);
        var lastSignIn = users.LastSignInAsync(account, cancellationToken);
        var mfa = totp.IsEnabledAsync(account.Id, cancellationToken);
        await Task.WhenAll(locked, lastSignIn, mfa);
        return new AdminUser(
            account.Id, account.Username, account.Email, account.EmailConfirmed, account.RoleNames, account.Disabled,
            await locked, account.CreatedAt, await lastSignIn, await mfa);
    }

    /// <summary>One page of users (see <see cref="UserStore.ListAsync"/>), those outside the prefix left out, each viewed.</summary>
    public async Task<(IReadOnlyList<AdminUser> Users, string? Continuation)> ListAsync(
        UsernamePrefix? prefix, string? continuation, int limit, CancellationToken cancellationToken)
    {
        var page = await users.ListAsync(prefix?.KeyRange, continuation, limit, cancellationToken);
        var matching = page.Users.Where(account => prefix is null || prefix.Matches(account.Key)).ToList();
        var views = new AdminUser[matching.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, matching.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadsInParallel, CancellationToken = cancellationToken },
            async (i, ct) => views[i] = await ViewAsync(matching[i], ct));
        return (views, page.Continuation);
    }

    /// <summary>
    /// Sets the roles and/or whether the user is disabled (null: as they are), in one ETag-conditional write; a lost race
    /// re-reads the user and applies the change again, so concurrent changes of different fields all land. Disabling rotates
    /// the stamp in that write, then ends every session and writes the user's cut-off (every earlier access token refused on
    /// every instance within <c>MaxStaleness</c>); enabling revives none of it.
    /// </summary>
    public async Task<(AdminChange Outcome, UserAccount? Account)> UpdateAsync(
        AccessToken admin, string id, IReadOnlyList<string>? roles, bool? disabled, CancellationToken cancellationToken)
    {
        var adminRole = options.Value.Role;
        for (var round = 0; round < Rounds; round++)
        {
            if (await FindAsync(id, cancellationToken) is not { } account)
            {
                return (AdminChange.NotFound, null);
            }

            var newRoles = roles ?? account.RoleNames;
            var newDisabled = disabled ?? account.Disabled;
            if (IsSelf(admin, account)
                && ((newDisabled && !account.Disabled)
                    || (account.RoleNames.Contains(adminRole, StringComparer.Ordinal) && !newRoles.Contains(adminRole, StringComparer.Ordinal))))
            {
                return (AdminChange.Self, account);
            }

            var changed = newDisabled != account.Disabled || !newRoles.SequenceEqual(account.RoleNames, StringComparer.Ordinal);
            var written = changed ? await users.TryUpdateAdministrationAsync(account, newRoles, newDisabled, cancellationToken) : account;
            if (written is null)
            {
                continue;
            }

            if (disabled == true)
            {
                // Also when the user was disabled already: a retry after a fault halfway finishes ending what is left.
                await sessions.EndAllAsync(account.Id, keepSessionId: null, "account disabled by an administrator");
            }

            return (AdminChange.Changed, written);
        }

        return (AdminChange.Conflict, null);
    }

    /// <summary>Deletes the user as their own deletion does (see <see cref="AccountService.RemoveAsync"/>), without their password.</summary>
    public async Task<AdminChange> DeleteAsync(AccessToken admin, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } account || !Username.TryCreate(account.Username, out var username, out _))
        {
            return AdminChange.NotFound;
        }

        if (IsSelf(admin, account))
        {
            return AdminChange.Self;
        }

        await accounts.RemoveAsync(username!, account, "account deleted by an administrator");
        return AdminChange.Changed;
    }

    /// <summary>Signs the user out everywhere, as their own logout everywhere does.</summary>
    public async Task<AdminChange> EndSessionsAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } account)
        {
            return AdminChange.NotFound;
        }

        await sessions.EndEverywhereAsync(
            Username.TryCreate(account.Username, out var username, out _) ? username : null, account.Id, "signed out everywhere by an administrator");
        return AdminChange.Changed;
    }

    /// <summary>Lifts the user's lockout and forgets their failed password checks, as a password reset does.</summary>
    public async Task<AdminChange> UnlockAsync(string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } account || !Username.TryCreate(account.Username, out var username, out _))
        {
            return AdminChange.NotFound;
        }

        await attempts.ClearAsync(username!);
        return AdminChange.Changed;
    }

    // An administrator cannot lock themselves out by mistake: another administrator (or a service client) must do it.
    private static bool IsSelf(AccessToken admin, UserAccount account) => !admin.IsServiceClient && admin.Subject == account.Id;
}
