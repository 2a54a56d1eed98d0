using FuncAuth.Accounts;
using FuncAuth.Security;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Mfa;

/// <summary>What a guarded second-factor check came to.</summary>
internal enum FactorVerdict
{
    /// <summary>A current TOTP code of a later step than the last accepted (now recorded), or an unspent recovery code (now spent).</summary>
    Right,

    /// <summary>A wrong, out-of-window or replayed code, a spent or unknown recovery code, or the name is locked: one answer.</summary>
    Wrong,

    /// <summary>TOTP is not on for the account (turned off since the password step, or never).</summary>
    NotEnabled,
}

/// <summary>
/// Every check of a TOTP or recovery code (the second step of a sign-in, turning TOTP off) goes through here, counted by the
/// account's lockout exactly as a password is: the attempt is reserved in <see cref="LoginAttempts"/> before the code is
/// checked (refused while the name is locked, whatever the code), and decided after, a wrong code being one more failure. So
/// a thief who has the password gets no more guesses at a 6-digit code than at the password itself.
/// </summary>
internal sealed class SecondFactorCheck(
    TotpStore totp, RecoveryCodes recoveryCodes, LoginAttempts attempts, TimeProvider time, ILogger<SecondFactorCheck> logger)
{
    /// <summary>
    /// Checks a TOTP <paramref name="code"/> or (when it is null) a <paramref name="recoveryCode"/> for <paramref name="account"/>.
    /// A right TOTP code is accepted once: its time step is recorded by an ETag-conditional replace, so the same code (or
    /// an older one) is refused afterwards, also to a request racing this one. A right recovery code is spent.
    /// </summary>
    public async Task<FactorVerdict> CheckAsync(UserAccount account, string? code, string? recoveryCode, CancellationToken cancellationToken)
    {
        if (!Username.TryCreate(account.Username, out var username, out _))
        {
            return FactorVerdict.Wrong;
        }

        var enabled = await totp.FindAsync(account.Id, TotpStore.EnabledRow, cancellationToken);
        if (enabled is null)
        {
            return FactorVerdict.NotEnabled;
        }

        if (!await attempts.ReserveAsync(username!, cancellationToken))
        {
            SecurityEvents.SecondFactorFailed(logger, account.Id, "the name is locked");
            return FactorVerdict.Wrong;
        }

        // From here the attempt is decided whatever happens to the request: not under its cancellation.
        var right = code is not null
            ? await CheckTotpAsync(enabled, code)
            : recoveryCode is not null && await recoveryCodes.TrySpendAsync(account.Id, recoveryCode, CancellationToken.None);
        if (await attempts.DecideAsync(username!, right) is { } lockout)
        {
            SecurityEvents.AccountLocked(logger, account.Id, lockout);
        }

        if (!right)
        {
            SecurityEvents.SecondFactorFailed(logger, account.Id, code is not null ? "wrong TOTP code" : "wrong or spent recovery code");
        }

        return right ? FactorVerdict.Right : FactorVerdict.Wrong;
    }

    private async Task<bool> CheckTotpAsync(TotpRecord enabled, string code)
    {
        if (enabled.Secret.Length == 0)
        {
            SecurityEvents.TotpSecretUnreadable(logger, enabled.UserId);
            return false;
        }

        var now = time.GetUtcNow();
        if (TotpSecrets.MatchingStep(enabled.Secret, code, now) is not { } step)
        {
            return false;
        }

        if (await totp.TryAcceptStepAsync(enabled, step, now, CancellationToken.None))
        {
            return true;
        }

        SecurityEvents.TotpCodeReplayRefused(logger, enabled.UserId);
        return false;
    }
}
