using Azure;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Security;
using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Email;

/// <summary>
/// Which account an address belongs to: one row per address, so two accounts never hold the same one. The row's key is
/// the address's <see cref="EmailAddress.Key"/> (a hash: the key alone does not reveal the address), and uniqueness is
/// the table's: an insert of an existing key fails with 409, so of concurrent claims exactly one wins, as with usernames.
/// </summary>
/// <remarks>
/// A claim is written before the account that holds it (a registration claims the address, then adds the user), so a
/// claim can outlive an account that was never written (a crash, a storage fault, the name taken) or one removed behind
/// FuncAuth's back. Such a claim is stale, and is taken over, only when it is older than <see cref="Grace"/> (so a
/// registration still in flight keeps its claim) and the account it names does not hold the address. The takeover is a
/// replace conditional on the row's ETag: two takers cannot both win.
/// </remarks>
internal sealed class EmailAddressStore(FuncAuthTables tables, UserStore users, TimeProvider time, ILogger<EmailAddressStore> logger)
{
    /// <summary>How long a claim stands without an account behind it: longer than any registration takes.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private const string ClaimRow = "owner";
    private const string UserKey = "UserKey";
    private const string UserId = "UserId";
    private const string Address = "Address";
    private const string ClaimedAt = "ClaimedAt";
    private const int Rounds = 8;

    /// <summary>Claims the address for the user; false when another live account holds it.</summary>
    public Task<bool> TryClaimAsync(EmailAddress address, string userKey, string userId, CancellationToken cancellationToken) =>
        tables.EmailAddresses.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    try
                    {
                        await table.AddEntityAsync(ToEntity(address, userKey, userId), ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status == 409)
                    {
                    }

                    var found = await table.GetEntityIfExistsAsync<TableEntity>(address.Key, ClaimRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } existing)
                    {
                        // Released in between: try the insert again.
                        continue;
                    }

                    if (existing.GetString(UserId) == userId)
                    {
                        // Ours: an earlier claim of this user, or the SDK's retry of an insert whose answer was lost.
                        return true;
                    }

                    if (!await IsStaleAsync(existing, address, ct))
                    {
                        return false;
                    }

                    try
                    {
                        await table.UpdateEntityAsync(ToEntity(address, userKey, userId), existing.ETag, TableUpdateMode.Replace, ct);
                        SecurityEvents.EmailClaimTakenOver(logger, existing.GetString(UserId) ?? "none", userId);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                        // Someone else took it over or released it first: look again.
                    }
                }

                throw new StorageUnavailableException("The email address could not be claimed: its row kept changing.");
            },
            cancellationToken);

    /// <summary>Gives the address up if the user still holds it.</summary>
    public Task ReleaseAsync(EmailAddress address, string userId, CancellationToken cancellationToken) =>
        tables.EmailAddresses.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(address.Key, ClaimRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } existing || existing.GetString(UserId) != userId)
                    {
                        // Free, or another account's since (it took the claim over): not ours to give up.
                        return true;
                    }

                    try
                    {
                        await table.DeleteEntityAsync(existing.PartitionKey, existing.RowKey, existing.ETag, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status == 412)
                    {
                    }
                }

                throw new StorageUnavailableException("The email address could not be released: its row kept changing.");
            },
            cancellationToken);

    /// <summary>The user key (the Users table's partition key) and id of the account holding the address, or null.</summary>
    public Task<EmailOwner?> FindOwnerAsync(EmailAddress address, CancellationToken cancellationToken) =>
        tables.EmailAddresses.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(address.Key, ClaimRow, cancellationToken: ct);
                return found.HasValue && found.Value is { } entity && entity.GetString(UserKey) is { } key && entity.GetString(UserId) is { } id
                    ? new EmailOwner(key, id)
                    : null;
            },
            cancellationToken);

    /// <summary>
    /// The account that holds the address: the one its claim names, if that account exists and has this address (confirmed
    /// or not). Null for a free address and for a claim its account no longer backs.
    /// </summary>
    public async Task<UserAccount?> FindHolderAsync(EmailAddress address, CancellationToken cancellationToken) =>
        await FindOwnerAsync(address, cancellationToken) is { } owner
        && await users.FindByKeyAsync(owner.UserKey, cancellationToken) is { } account && account.Id == owner.UserId
        && address.IsSameAs(account.Email)
            ? account
            : null;

    /// <summary>
    /// Whether a claim of another user may be taken over: old enough that no registration can still be writing its
    /// account, and that account (looked up by the key the claim names) missing, another user's, or holding another address.
    /// </summary>
    private async Task<bool> IsStaleAsync(TableEntity claim, EmailAddress address, CancellationToken cancellationToken)
    {
        if (claim.GetDateTimeOffset(ClaimedAt) is not { } claimedAt || time.GetUtcNow() - claimedAt < Grace)
        {
            // A claim without a time is not one FuncAuth wrote: leave it to an operator rather than guess.
            return false;
        }

        if (claim.GetString(UserKey) is not { } userKey)
        {
            return false;
        }

        var owner = await users.FindByKeyAsync(userKey, cancellationToken);
        return owner is null || owner.Id != claim.GetString(UserId) || !address.IsSameAs(owner.Email);
    }

    private TableEntity ToEntity(EmailAddress address, string userKey, string userId) => new(address.Key, ClaimRow)
    {
        [UserKey] = userKey,
        [UserId] = userId,
        [Address] = address.Value,
        [ClaimedAt] = time.GetUtcNow(),
    };
}

internal sealed record EmailOwner(string UserKey, string UserId);
