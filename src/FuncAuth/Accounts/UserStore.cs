using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Accounts;

/// <summary>What adding a user came to: added, or refused because its name or its id belongs to another user.</summary>
internal enum UserAdded
{
    Added,
    UsernameTaken,
    IdTaken,
}

/// <summary>
/// Users in Table Storage: one entity per user, keyed by the encoded username. Uniqueness is the
/// table's: an insert of an existing key fails with 409, so concurrent registrations cannot both win.
/// </summary>
internal sealed class UserStore(FuncAuthTables tables)
{
    private const string AccountRow = "account";
    private const string Closing = "Closing";

    /// <summary>
    /// Adds the user: <see cref="UserAdded.Added"/>, or which of its name and id is another user's already.
    /// SKELETON: the id index (see the admin API) is not written yet; ids are never reported taken.
    /// </summary>
    public async Task<UserAdded> TryAddAsync(UserAccount account, CancellationToken cancellationToken) =>
        await TryAddAccountAsync(account, cancellationToken) ? UserAdded.Added : UserAdded.UsernameTaken;

    private Task<bool> TryAddAccountAsync(UserAccount account, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    await table.AddEntityAsync(ToEntity(account), ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    // The SDK retries an insert whose response was lost: the row it then meets may be this very one
                    // (same id, which is fresh for every registration). Then it is ours, not a taken name.
                    var existing = await table.GetEntityIfExistsAsync<TableEntity>(account.Key, AccountRow, cancellationToken: ct);
                    return existing.HasValue && existing.Value is { } entity && FromEntity(entity)?.Id == account.Id;
                }
            },
            cancellationToken);

    /// <summary>
    /// The user the name belongs to, or null; an account being deleted (see <see cref="RotateStampAsync"/>) is no account
    /// any more: nobody signs in to it, and no session of it refreshes.
    /// </summary>
    public Task<UserAccount?> FindAsync(Username username, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, AccountRow, cancellationToken: ct);
                return found.HasValue && found.Value is { } entity && entity.GetBoolean(Closing) != true ? FromEntity(entity) : null;
            },
            cancellationToken);

    /// <summary>The user stored under the key (the Users table's partition key), or null; a closing account is none.</summary>
    public Task<UserAccount?> FindByKeyAsync(string key, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(key, AccountRow, cancellationToken: ct);
                return found.HasValue && found.Value is { } entity && entity.GetBoolean(Closing) != true ? FromEntity(entity) : null;
            },
            cancellationToken);

    /// <summary>
    /// Sets the address and whether it is confirmed, conditional on the account being as it was read; the account as
    /// written, or null when someone changed (or removed) it since.
    /// </summary>
    public Task<UserAccount?> TryUpdateEmailAsync(UserAccount account, string? email, bool confirmed, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // A merge cannot remove a property: no address is written as the empty string (read back as null).
                    var entity = new TableEntity(account.Key, AccountRow)
                    {
                        [nameof(UserAccount.Email)] = email ?? string.Empty,
                        [nameof(UserAccount.EmailConfirmed)] = confirmed,
                    };
                    var written = await table.UpdateEntityAsync(entity, account.ETag, TableUpdateMode.Merge, ct);
                    return account with { Email = email, EmailConfirmed = confirmed, ETag = written.Headers.ETag ?? ETag.All };
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return null;
                }
            },
            cancellationToken);

    /// <summary>
    /// An administrator's change: the roles and whether the account is disabled, in one write conditional on the account
    /// being as it was read. Disabling also rotates the security stamp in that write, so every session of the account is over
    /// (the caller then ends them and writes the cut-off, see <see cref="Sessions.SessionService.EndAllAsync"/>); enabling
    /// leaves the stamp as it is, so nothing ended comes back. Answers the account as written, or null when someone changed
    /// (or removed) it since it was read.
    /// </summary>
    public Task<UserAccount?> TryUpdateAdministrationAsync(
        UserAccount account, IReadOnlyList<string> roles, bool disabled, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var stamp = disabled && !account.Disabled ? Accounts.SecurityStamp.New() : account.SecurityStamp;
                try
                {
                    // A merge cannot remove a property: no roles are written as the empty string (read back as none).
                    var entity = new TableEntity(account.Key, AccountRow)
                    {
                        [nameof(UserAccount.Roles)] = Accounts.Roles.Join(roles),
                        [nameof(UserAccount.Disabled)] = disabled,
                        [nameof(UserAccount.SecurityStamp)] = stamp,
                    };
                    var written = await table.UpdateEntityAsync(entity, account.ETag, TableUpdateMode.Merge, ct);
                    return account with { Roles = roles, Disabled = disabled, SecurityStamp = stamp, ETag = written.Headers.ETag ?? ETag.All };
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return null;
                }
            },
            cancellationToken);

    /// <summary>Replaces the hash if nobody changed the user since it was read; false when someone did (or removed it).</summary>
    public Task<bool> TryUpdatePasswordHashAsync(UserAccount account, string passwordHash, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    var entity = new TableEntity(account.Key, AccountRow) { [nameof(UserAccount.PasswordHash)] = passwordHash };
                    await table.UpdateEntityAsync(entity, account.ETag, TableUpdateMode.Merge, ct);
                    return true;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>
    /// A password change: the new hash and a new security stamp in one write, conditional on the account being as it was
    /// read (so a change and the sign-ins checked against the old password are ordered by the table). Answers the account
    /// as written, or null when someone changed (or removed) it since.
    /// </summary>
    public Task<UserAccount?> TryChangePasswordAsync(UserAccount account, string passwordHash, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var stamp = Accounts.SecurityStamp.New();
                try
                {
                    var entity = new TableEntity(account.Key, AccountRow)
                    {
                        [nameof(UserAccount.PasswordHash)] = passwordHash,
                        [nameof(UserAccount.SecurityStamp)] = stamp,
                    };
                    var written = await table.UpdateEntityAsync(entity, account.ETag, TableUpdateMode.Merge, ct);
                    return account with { PasswordHash = passwordHash, SecurityStamp = stamp, ETag = written.Headers.ETag ?? ETag.All };
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return null;
                }
            },
            cancellationToken);

    /// <summary>
    /// Gives the user <paramref name="userId"/> a new security stamp (ETag-conditional merge, re-read and retried when the
    /// row changed in between): every session checked against the old one is over from here. Answers the new stamp, or
    /// null when the name no longer belongs to that user. With <paramref name="closing"/> (an account deletion) the same
    /// write marks the account as being deleted: the stamp alone would not stop a sign-in that reads the rotated row and
    /// starts its session after the deletion listed the sessions to end, because the password is still the same.
    /// </summary>
    public Task<string?> RotateStampAsync(Username username, string userId, CancellationToken cancellationToken, bool closing = false) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < 8; round++)
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, AccountRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } entity || FromEntity(entity)?.Id != userId)
                    {
                        return null;
                    }

                    var stamp = Accounts.SecurityStamp.New();
                    try
                    {
                        var update = new TableEntity(username.Key, AccountRow) { [nameof(UserAccount.SecurityStamp)] = stamp };
                        if (closing)
                        {
                            update[Closing] = true;
                        }

                        await table.UpdateEntityAsync(update, entity.ETag, TableUpdateMode.Merge, ct);
                        return stamp;
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                    }
                }

                throw new StorageUnavailableException("The user's security stamp could not be changed: the user kept changing.");
            },
            cancellationToken);

    /// <summary>Removes the user the name belongs to if it is still <paramref name="userId"/> (a missing one is no error).</summary>
    public Task DeleteAsync(Username username, string userId, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                // Conditional on what was read, and read again when someone changed the user in between (a hash upgrade,
                // say): a name taken again by a new account in the meantime is that account's, and is left alone.
                for (var round = 0; round < 8; round++)
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, AccountRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } entity || FromEntity(entity)?.Id != userId)
                    {
                        return true;
                    }

                    try
                    {
                        await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status == 412)
                    {
                    }
                }

                throw new StorageUnavailableException("The user could not be removed: it kept changing.");
            },
            cancellationToken);

    private static TableEntity ToEntity(UserAccount account)
    {
        var entity = new TableEntity(account.Key, AccountRow)
        {
            [nameof(UserAccount.Id)] = account.Id,
            [nameof(UserAccount.Username)] = account.Username,
            [nameof(UserAccount.PasswordHash)] = account.PasswordHash,
            [nameof(UserAccount.KeyScheme)] = account.KeyScheme,
            [nameof(UserAccount.SecurityStamp)] = account.SecurityStamp,
            [nameof(UserAccount.EmailConfirmed)] = account.EmailConfirmed,
        };
        if (account.Email is not null)
        {
            entity[nameof(UserAccount.Email)] = account.Email;
        }

        if (account.CreatedAt is { } createdAt)
        {
            entity[nameof(UserAccount.CreatedAt)] = createdAt.ToUniversalTime();
        }

        if (account.RoleNames.Count > 0)
        {
            entity[nameof(UserAccount.Roles)] = Accounts.Roles.Join(account.RoleNames);
        }

        if (account.Disabled)
        {
            entity[nameof(UserAccount.Disabled)] = true;
        }

        return entity;
    }

    // Users stored before addresses were recorded have none of Email, EmailConfirmed or CreatedAt: no address, not
    // confirmed, made at an unknown time.
    private static UserAccount? FromEntity(TableEntity entity) =>
        entity.GetString(nameof(UserAccount.Id)) is { } id
        && entity.GetString(nameof(UserAccount.Username)) is { } username
        && entity.GetString(nameof(UserAccount.PasswordHash)) is { } hash
            ? new UserAccount(
                entity.PartitionKey, id, username, hash, entity.ETag, KeySchemeOf(entity), entity.GetString(nameof(UserAccount.SecurityStamp)) ?? Accounts.SecurityStamp.None,
                Email: entity.GetString(nameof(UserAccount.Email)) is { Length: > 0 } email ? email : null,
                EmailConfirmed: entity.GetBoolean(nameof(UserAccount.EmailConfirmed)) ?? false,
                CreatedAt: entity.GetDateTimeOffset(nameof(UserAccount.CreatedAt)),
                Roles: Accounts.Roles.Split(entity.GetString(nameof(UserAccount.Roles))),
                Disabled: entity.GetBoolean(nameof(UserAccount.Disabled)) ?? false)
            : null;

    // Users stored before the scheme was recorded were keyed by scheme 1.
    private static int KeySchemeOf(TableEntity entity) => entity.GetInt32(nameof(UserAccount.KeyScheme)) ?? 1;
}
