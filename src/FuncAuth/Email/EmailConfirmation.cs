using FuncAuth.Accounts;
using FuncAuth.Security;
using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Email;

/// <summary>
/// Confirming an address, changing it, and resending a confirmation. Nothing about an account's address changes until
/// its owner proves they read the new one: a change only sends a token to the new address (and a notice to the old);
/// spending that token is what moves the account to it.
/// </summary>
internal sealed class EmailConfirmation(
    OneTimeTokens tokens, UserStore users, EmailAddressStore addresses, GuardedPasswordCheck passwords, AccountMail mail, ILogger<EmailConfirmation> logger)
{
    // An account row that keeps changing under a confirmation (hash upgrades, say) is read again this many times.
    private const int MaxRounds = 8;

    /// <summary>
    /// Spends the token first (an ETag-conditional delete: one of any number of racing requests wins), then confirms the
    /// address it was sent to, or, for a change, claims the new address and makes it the account's. A fault after the
    /// spend leaves the account as it was; its owner asks for another message.
    /// </summary>
    public async Task<ConfirmEmailResult> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(token, cancellationToken) is not { Purpose: OneTimeTokenPurpose.ConfirmEmail or OneTimeTokenPurpose.ChangeEmail } found
            || !EmailAddress.TryCreate(found.Address, out var address, out _)
            || !await tokens.TrySpendAsync(found, cancellationToken))
        {
            SecurityEvents.OneTimeTokenRefused(logger, "confirmation");
            return ConfirmEmailResult.InvalidToken;
        }

        // Spent: what follows must finish even if the client hangs up.
        var result = found.Purpose == OneTimeTokenPurpose.ConfirmEmail
            ? await ConfirmCurrentAsync(found, address)
            : await MoveToAsync(found, address);
        if (result == ConfirmEmailResult.InvalidToken)
        {
            SecurityEvents.OneTimeTokenRefused(logger, "confirmation");
        }

        return result;
    }

    /// <summary>
    /// Asks to change the caller's address after checking their password again (it counts against lockout as a login
    /// does). An address another account holds is refused; otherwise the messages are written and nothing else changes.
    /// </summary>
    public async Task<EmailChangeResult> RequestChangeAsync(Username username, string userId, Password password, EmailAddress address, CancellationToken cancellationToken)
    {
        var check = await passwords.CheckAsync(username, password, userId, cancellationToken);
        if (check.Verdict == PasswordVerdict.NoAccount || check.Account is not { } account)
        {
            return EmailChangeResult.NoAccount;
        }

        if (check.Verdict == PasswordVerdict.Wrong)
        {
            SecurityEvents.EmailChangeRefused(logger, userId);
            return EmailChangeResult.WrongPassword;
        }

        if (address.IsSameAs(account.Email))
        {
            return EmailChangeResult.Unchanged;
        }

        if (await addresses.FindHolderAsync(address, cancellationToken) is { } holder && holder.Id != userId)
        {
            return EmailChangeResult.AddressTaken;
        }

        await mail.SendAddressChangeAsync(account, address, cancellationToken);
        SecurityEvents.EmailChangeRequested(logger, userId);
        return EmailChangeResult.Requested;
    }

    /// <summary>Resends a confirmation to the address if it is an account's and unconfirmed (decided when sent: see <see cref="AccountMail.AskForAsync"/>).</summary>
    public Task ResendAsync(EmailAddress address, CancellationToken cancellationToken) =>
        mail.AskForAsync(OutboxKinds.ResendConfirmation, address, cancellationToken);

    private async Task<ConfirmEmailResult> ConfirmCurrentAsync(OneTimeToken token, EmailAddress address)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            // The account must still be the one the token was sent for, with the address it was sent to.
            if (await users.FindByKeyAsync(token.UserKey, CancellationToken.None) is not { } account || account.Id != token.UserId
                || !address.IsSameAs(account.Email))
            {
                return ConfirmEmailResult.InvalidToken;
            }

            if (account.EmailConfirmed || await users.TryUpdateEmailAsync(account, account.Email, confirmed: true, CancellationToken.None) is not null)
            {
                SecurityEvents.EmailConfirmed(logger, account.Id);
                return ConfirmEmailResult.Confirmed;
            }
        }

        throw new StorageUnavailableException("The address could not be confirmed: the account kept changing.");
    }

    private async Task<ConfirmEmailResult> MoveToAsync(OneTimeToken token, EmailAddress address)
    {
        // The new address is claimed first (the table keeps it unique), then the account moved to it, then the old one
        // released: a fault halfway leaves a claim the next claimant finds stale, never two accounts with one address.
        if (!await addresses.TryClaimAsync(address, token.UserKey, token.UserId, CancellationToken.None))
        {
            return ConfirmEmailResult.AddressTaken;
        }

        for (var round = 0; round < MaxRounds; round++)
        {
            if (await users.FindByKeyAsync(token.UserKey, CancellationToken.None) is not { } account || account.Id != token.UserId)
            {
                await addresses.ReleaseAsync(address, token.UserId, CancellationToken.None);
                return ConfirmEmailResult.InvalidToken;
            }

            if (await users.TryUpdateEmailAsync(account, address.Value, confirmed: true, CancellationToken.None) is null)
            {
                continue;
            }

            if (EmailAddress.TryCreate(account.Email, out var old, out _) && !address.IsSameAs(account.Email))
            {
                await addresses.ReleaseAsync(old, account.Id, CancellationToken.None);
            }

            SecurityEvents.EmailChanged(logger, account.Id);
            return ConfirmEmailResult.Confirmed;
        }

        throw new StorageUnavailableException("The address could not be changed: the account kept changing.");
    }
}

internal enum ConfirmEmailResult
{
    Confirmed,

    /// <summary>Unknown, spent, expired or voided: one answer for all, so a token's state is not revealed.</summary>
    InvalidToken,

    /// <summary>An address change whose new address another account took in the meantime.</summary>
    AddressTaken,
}

internal enum EmailChangeResult
{
    /// <summary>The confirmation was written to the outbox (or the recipient's hourly budget was spent: the same answer).</summary>
    Requested,
    WrongPassword,
    NoAccount,
    Unchanged,
    AddressTaken,
}
