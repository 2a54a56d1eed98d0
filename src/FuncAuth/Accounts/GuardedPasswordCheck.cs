using FuncAuth.Security;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Accounts;

/// <summary>What a guarded password check came to.</summary>
internal enum PasswordVerdict
{
    Right,

    /// <summary>A wrong password, an unknown name or a locked one: the same work was done for each, and the same answer is due.</summary>
    Wrong,

    /// <summary>Only for a signed-in owner's re-check: the name no longer belongs to that user.</summary>
    NoAccount,
}

/// <summary>A guarded check's result: the account as it was read for the check (its stamp is what was proven).</summary>
internal sealed record CheckedPassword(PasswordVerdict Verdict, UserAccount? Account, bool Outdated = false);

/// <summary>
/// Every password check of an existing account (sign-in, password change, account deletion) goes through here: the attempt
/// is reserved in the lockout table first (<see cref="LoginAttempts.ReserveAsync"/>), so the table decides which of any
/// number of racing requests may check; a refused one does the same PBKDF2 work as a wrong password and writes nothing.
/// Its outcome is then recorded (<see cref="LoginAttempts.DecideAsync"/>). Unknown names are reserved and counted alike,
/// so neither answers nor timing tell who has an account or who is locked.
/// </summary>
internal sealed class GuardedPasswordCheck(
    UserStore users, LoginAttempts attempts, PasswordHasher hasher, LegacyPasswordForm legacyForm, PasswordWork work,
    ILogger<GuardedPasswordCheck> logger)
{
    /// <summary>
    /// Checks <paramref name="password"/> for the name. With <paramref name="ownerId"/> (a signed-in user re-checking), a
    /// name that is no longer that user's answers <see cref="PasswordVerdict.NoAccount"/> without counting anything.
    /// </summary>
    public async Task<CheckedPassword> CheckAsync(Username username, Password password, string? ownerId, CancellationToken cancellationToken)
    {
        UserAccount? account;
        bool reserved;
        if (ownerId is null)
        {
            // Two round trips at once: the reservation costs a login no extra latency.
            var reading = users.FindAsync(username, cancellationToken);
            var reserving = attempts.ReserveAsync(username, cancellationToken);
            await Task.WhenAll(reading, reserving);
            (account, reserved) = (await reading, await reserving);
        }
        else
        {
            account = await users.FindAsync(username, cancellationToken);
            if (account is null || account.Id != ownerId)
            {
                await VerifyAsync(null, password, cancellationToken);
                return new CheckedPassword(PasswordVerdict.NoAccount, null);
            }

            reserved = await attempts.ReserveAsync(username, cancellationToken);
        }

        if (!reserved)
        {
            // Locked when this request reserved: the same work and the same answer as a wrong password, and nothing written.
            await VerifyAsync(null, password, cancellationToken);
            SecurityEvents.LoginRefusedWhileLocked(logger, account?.Id);
            return new CheckedPassword(PasswordVerdict.Wrong, account);
        }

        var check = await VerifyAsync(account, password, cancellationToken);
        if (check == PasswordCheck.Failed)
        {
            if (await attempts.DecideAsync(username, right: false) is { } lockout)
            {
                SecurityEvents.AccountLocked(logger, account?.Id, lockout);
            }

            return new CheckedPassword(PasswordVerdict.Wrong, account);
        }

        await attempts.DecideAsync(username, right: true);
        return new CheckedPassword(PasswordVerdict.Right, account, check == PasswordCheck.SucceededButOutdated);
    }

    /// <summary>A new hash, made under the same limit on concurrent PBKDF2 work as the checks.</summary>
    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        using (await work.EnterAsync(cancellationToken))
        {
            return hasher.Hash(password);
        }
    }

    /// <summary>
    /// The password check, for <paramref name="account"/> or (null) against nothing: the same work as a wrong password,
    /// so timing does not reveal who has an account or who is locked. See <see cref="PasswordWork"/>. A password whose legacy
    /// form differs (never an ASCII one) is checked in that form too when the normalised one fails, a success that way being
    /// outdated; such a password costs that second hash for every account and for none alike, so the work still tells nothing.
    /// </summary>
    private async Task<PasswordCheck> VerifyAsync(UserAccount? account, Password password, CancellationToken cancellationToken)
    {
        var legacy = legacyForm.Of(password);
        using (await work.EnterAsync(cancellationToken))
        {
            if (account is null)
            {
                hasher.VerifyNothing(password.Text);
                if (legacy is not null)
                {
                    hasher.VerifyNothing(legacy);
                }

                return PasswordCheck.Failed;
            }

            if (hasher.VerifyForeign(password, account.PasswordHash) is { } foreign)
            {
                // An imported user whose hash another system made: checked as that system hashed it, then rewritten.
                return foreign;
            }

            var check = hasher.Verify(password.Text, account.PasswordHash);
            if (check != PasswordCheck.Failed || legacy is null)
            {
                return check;
            }

            return hasher.Verify(legacy, account.PasswordHash) == PasswordCheck.Failed ? PasswordCheck.Failed : PasswordCheck.SucceededButOutdated;
        }
    }
}
