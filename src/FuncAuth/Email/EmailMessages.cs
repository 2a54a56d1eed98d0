using System.Globalization;
using FuncAuth.Accounts;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

/// <summary>
/// What each outbox message says, decided when it is sent. A message with a link has its token minted here, at send
/// time, and stored only as a hash: the outbox holds who and what, never a usable token. The messages anyone can ask
/// for by address (a reset, a resend) are resolved to an account here too, so the request that asked did the same work
/// whether or not the address has an account, and answered the same; an address with no account gets nothing.
/// </summary>
internal sealed class EmailMessages(
    UserStore users, EmailAddressStore addresses, OneTimeTokens tokens, EmailLinks links, IOptions<EmailOptions> options) : IOutboxComposer
{
    public const string UserKey = "userKey";
    public const string UserId = "userId";
    public const string At = "at";
    public const string Remaining = "remaining";

    private string Product => options.Value.ProductName;

    public async Task<EmailContent?> ComposeAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        switch (message.Kind)
        {
            case OutboxKinds.ConfirmEmail:
            case OutboxKinds.ResendConfirmation:
                return await AccountFor(message, cancellationToken) is { EmailConfirmed: false } unconfirmed
                    ? EmailTemplates.ConfirmEmail(Product, links.ConfirmEmail(await MintAsync(OneTimeTokenPurpose.ConfirmEmail, unconfirmed, unconfirmed.Email, settings.ConfirmationTokenLifetime, cancellationToken)), settings.ConfirmationTokenLifetime)
                    : null;
            case OutboxKinds.ConfirmEmailChange:
                // The new address is the recipient: it is not the account's until this token is spent.
                return await Named(message, cancellationToken) is { } changing
                    ? EmailTemplates.ConfirmEmailChange(Product, links.ConfirmEmail(await MintAsync(OneTimeTokenPurpose.ChangeEmail, changing, message.Recipient, settings.ConfirmationTokenLifetime, cancellationToken)), settings.ConfirmationTokenLifetime)
                    : null;
            case OutboxKinds.ResetPassword:
                return await AccountFor(message, cancellationToken) is { } resetting
                    ? EmailTemplates.ResetPassword(Product, links.ResetPassword(await MintAsync(OneTimeTokenPurpose.ResetPassword, resetting, resetting.Email, settings.ResetTokenLifetime, cancellationToken)), settings.ResetTokenLifetime)
                    : null;
            case OutboxKinds.EmailChangeRequested:
                return EmailTemplates.EmailChangeRequested(Product, EmailTemplates.Mask(message.Data.GetValueOrDefault("newAddress") ?? string.Empty), AtOf(message));
            case OutboxKinds.PasswordChanged:
                return EmailTemplates.PasswordChanged(Product, AtOf(message));
            case OutboxKinds.PasswordReset:
                return EmailTemplates.PasswordReset(Product, AtOf(message));
            case OutboxKinds.SignInNotice:
                return EmailTemplates.SignInNotice(Product, AtOf(message));
            case OutboxKinds.RecoveryCodeUsed:
                return EmailTemplates.RecoveryCodeUsed(
                    Product, AtOf(message), int.TryParse(message.Data.GetValueOrDefault(Remaining), CultureInfo.InvariantCulture, out var remaining) ? remaining : 0);
            default:
                return null;
        }
    }

    /// <summary>A notice's data: when it happened (the request's time, not the send's).</summary>
    public static Dictionary<string, string> NoticeData(DateTimeOffset at) => new() { [At] = at.ToString("O", CultureInfo.InvariantCulture) };

    /// <summary>The data of a message about one account.</summary>
    public static Dictionary<string, string> AccountData(UserAccount account) => new() { [UserKey] = account.Key, [UserId] = account.Id };

    private Task<string> MintAsync(OneTimeTokenPurpose purpose, UserAccount account, string? address, TimeSpan lifetime, CancellationToken cancellationToken) =>
        tokens.MintAsync(purpose, account.Key, account.Id, address, account.SecurityStamp, lifetime, cancellationToken);

    /// <summary>
    /// The account whose current address is the recipient: named by the message (a registration), or found by the address
    /// (a reset or resend anyone asked for). Null when there is none, or the account has another address by now.
    /// </summary>
    private async Task<UserAccount?> AccountFor(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (!EmailAddress.TryCreate(message.Recipient, out var address, out _))
        {
            return null;
        }

        if (!message.Data.ContainsKey(UserKey))
        {
            return await addresses.FindHolderAsync(address, cancellationToken);
        }

        return await Named(message, cancellationToken) is { } named && address.IsSameAs(named.Email) ? named : null;
    }

    /// <summary>The account the message names, if it still exists.</summary>
    private async Task<UserAccount?> Named(OutboxMessage message, CancellationToken cancellationToken) =>
        message.Data.GetValueOrDefault(UserKey) is { } key && message.Data.GetValueOrDefault(UserId) is { } id
        && await users.FindByKeyAsync(key, cancellationToken) is { } account && account.Id == id
            ? account
            : null;

    private static DateTimeOffset AtOf(OutboxMessage message) =>
        DateTimeOffset.TryParse(message.Data.GetValueOrDefault(At), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTimeOffset.UtcNow;
}
