using FuncAuth.Email;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Accounts;

/// <summary>
/// Password recovery: asking for a reset link by address, and setting a new password with it. A reset is a password
/// change made with the token instead of the old password: the new hash and a new security stamp in one conditional
/// write (which voids every other reset token: each is bound to the stamp it was issued under), then every session
/// ended and every earlier access token refused (as logout everywhere), the name's lockout cleared, and a notice sent.
/// </summary>
internal sealed class PasswordReset(
    OneTimeTokens tokens,
    UserStore users,
    GuardedPasswordCheck passwords,
    PasswordPolicy policy,
    SessionService sessions,
    LoginAttempts attempts,
    AccountMail mail,
    ILogger<PasswordReset> logger)
{
    private const int MaxRounds = 8;

    /// <summary>
    /// Writes a reset message for the address to the outbox (within the recipient's hourly budget). Whether the address
    /// has an account is decided when the message is sent, so this answers the same, after the same work, either way.
    /// </summary>
    public Task ForgotAsync(EmailAddress address, CancellationToken cancellationToken) =>
        mail.AskForAsync(OutboxKinds.ResetPassword, address, cancellationToken);

    /// <summary>
    /// Checks the new password against the rules (the token is not spent when it fails them), spends the token, sets the
    /// password, ends every session and clears the name's lockout.
    /// </summary>
    public async Task<ResetPasswordResult> ResetAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(token, cancellationToken) is not { Purpose: OneTimeTokenPurpose.ResetPassword } found
            || await Holder(found, cancellationToken) is not { } account
            || !Username.TryCreate(account.Username, out var name, out _) || name is not { } username)
        {
            return Invalid();
        }

        if (policy.Refuse(newPassword, username) is { } refusal)
        {
            return new ResetPasswordResult(Done: false, PasswordRefusal: refusal);
        }

        // The hash first (the slow part), then the spend, so the token is spent only by a request that will use it at once.
        var hash = await passwords.HashAsync(newPassword, cancellationToken);
        if (!await tokens.TrySpendAsync(found, cancellationToken))
        {
            return Invalid();
        }

        // Spent: what follows must finish even if the client hangs up.
        UserAccount changed;
        for (var round = 0; ; round++)
        {
            if (await users.TryChangePasswordAsync(account, hash, CancellationToken.None) is { } written)
            {
                changed = written;
                break;
            }

            // Someone wrote the account since it was read: a hash upgrade is harmless, but a password change (or a
            // removal) since the token was issued voids it.
            if (await Holder(found, CancellationToken.None) is not { } reread)
            {
                return Invalid();
            }

            account = round < MaxRounds ? reread : throw new Storage.StorageUnavailableException("The password could not be reset: the account kept changing.");
        }

        // The link reached the address: that proves it is the owner's as a confirmation would.
        if (!changed.EmailConfirmed && EmailAddress.TryCreate(found.Address, out var sentTo, out _) && sentTo.IsSameAs(changed.Email))
        {
            changed = await users.TryUpdateEmailAsync(changed, changed.Email, confirmed: true, CancellationToken.None) ?? changed;
        }

        await sessions.EndAllAsync(changed.Id, keepSessionId: null, "password reset");
        await attempts.ClearAsync(username);
        SecurityEvents.PasswordReset(logger, changed.Id);
        await mail.NotifyAsync(OutboxKinds.PasswordReset, changed);
        return new ResetPasswordResult(Done: true);
    }

    /// <summary>The account the token is for, if it still is: same id, and the security stamp it was issued under.</summary>
    private async Task<UserAccount?> Holder(OneTimeToken token, CancellationToken cancellationToken) =>
        await users.FindByKeyAsync(token.UserKey, cancellationToken) is { } account && account.Id == token.UserId
        && string.Equals(account.SecurityStamp, token.Stamp, StringComparison.Ordinal)
            ? account
            : null;

    private ResetPasswordResult Invalid()
    {
        SecurityEvents.OneTimeTokenRefused(logger, "password reset");
        return new ResetPasswordResult(Done: false, InvalidToken: true);
    }
}

/// <summary>The outcome: <see cref="Done"/>, or why not (<see cref="PasswordRefusal"/> names the rule the new password breaks).</summary>
internal sealed record ResetPasswordResult(bool Done, bool InvalidToken = false, string? PasswordRefusal = null);
