using FuncAuth.Accounts;
using FuncAuth.Email.Delivery;
using FuncAuth.Security;
using FuncAuth.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

/// <summary>
/// The one way the account flows send mail: into the outbox, never waiting on SMTP. What anyone can ask for by address
/// draws on the recipient's hourly budget (<see cref="RecipientQuota"/>) first; notices go only to a confirmed address
/// (an unconfirmed one may be someone else's), and a notice that cannot be written never undoes what it reports.
/// </summary>
internal sealed class AccountMail(
    EmailOutbox outbox, RecipientQuota quota, EmailDelivery delivery, IOptions<EmailOptions> options, TimeProvider time, ILogger<AccountMail> logger)
{
    /// <summary>Whether mail can be sent at all on this deployment (SMTP configured, or Development's .eml files).</summary>
    public bool IsConfigured => delivery.IsConfigured;

    /// <summary>
    /// A new account's confirmation message (no budget: one address, one account). Written once the account exists: a
    /// storage fault here is logged, the account stands, and its owner asks for another with <c>email/resend</c>.
    /// </summary>
    public Task SendConfirmationAsync(UserAccount account) =>
        account.Email is { } address
            ? WriteAfterTheFactAsync(new OutboxMessage(OutboxKinds.ConfirmEmail, address, EmailMessages.AccountData(account)), account.Id)
            : Task.CompletedTask;

    /// <summary>
    /// A message anyone may ask for by address (a reset, a resend): resolved to an account only when it is sent, so this
    /// does the same storage work whether or not the address has an account. Over the budget, nothing is written.
    /// </summary>
    public async Task AskForAsync(string kind, EmailAddress address, CancellationToken cancellationToken)
    {
        if (IsConfigured && await quota.TryTakeAsync(address, cancellationToken))
        {
            await outbox.EnqueueAsync(new OutboxMessage(kind, address.Value, new Dictionary<string, string>()), cancellationToken);
        }
    }

    /// <summary>An address change: the confirmation to the new address, and a notice to the old one when it was confirmed.</summary>
    public async Task SendAddressChangeAsync(UserAccount account, EmailAddress newAddress, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return;
        }

        if (await quota.TryTakeAsync(newAddress, cancellationToken))
        {
            await outbox.EnqueueAsync(new OutboxMessage(OutboxKinds.ConfirmEmailChange, newAddress.Value, EmailMessages.AccountData(account)), cancellationToken);
        }

        if (account is { Email: { } old, EmailConfirmed: true } && EmailAddress.TryCreate(old, out var oldAddress, out _)
            && await quota.TryTakeAsync(oldAddress, cancellationToken))
        {
            var data = EmailMessages.NoticeData(time.GetUtcNow());
            data["newAddress"] = newAddress.Value;
            await outbox.EnqueueAsync(new OutboxMessage(OutboxKinds.EmailChangeRequested, oldAddress.Value, data), cancellationToken);
        }
    }

    /// <summary>
    /// A notice of something done to the account (password changed or reset, a sign-in, a recovery code used) to its confirmed
    /// address, with the notice's <paramref name="details"/> beside its time. Written
    /// after the fact: a storage fault here is logged and the change it reports stands.
    /// </summary>
    public async Task NotifyAsync(string kind, UserAccount account, IReadOnlyDictionary<string, string>? details = null)
    {
        if (!IsConfigured || account is not { Email: { } address, EmailConfirmed: true }
            || (kind == OutboxKinds.SignInNotice && !options.Value.SignInNotice))
        {
            return;
        }

        var data = EmailMessages.NoticeData(time.GetUtcNow());
        foreach (var (name, value) in details ?? new Dictionary<string, string>())
        {
            data[name] = value;
        }

        await WriteAfterTheFactAsync(new OutboxMessage(kind, address, data), account.Id);
    }

    private async Task WriteAfterTheFactAsync(OutboxMessage message, string userId)
    {
        if (!IsConfigured)
        {
            return;
        }

        try
        {
            await outbox.EnqueueAsync(message, CancellationToken.None);
        }
        catch (StorageUnavailableException e)
        {
            SecurityEvents.NoticeNotQueued(logger, message.Kind, userId, e);
        }
    }
}
