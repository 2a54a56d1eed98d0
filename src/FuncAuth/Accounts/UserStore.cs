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

/// <summary>A page of users in key order, and where the next one starts (null: the end).</summary>
internal sealed record UserPage(IReadOnlyList<UserAccount> Users, string? Continuation);

/// <summary>
/// Users in Table Storage: one entity per user, keyed by the encoded username. Uniqueness is the
/// table's: an insert of an existing key fails with 409, so concurrent registrations cannot both win.
/// </summary>
/// <remarks>
/// Beside each account (row <c>account</c>), the user's partition holds its <c>activity</c> row (the last sign-in, written
/// apart so the account's ETag is not disturbed). Ids are unique and findable through an index in the same table: partition
/// <c>id.&lt;user id&gt;</c>, row <c>user</c>, naming the account's key. A <c>.</c> never occurs in a username key (they are
/// base64url), so index partitions are never users' partitions; listings read only <c>account</c> rows.
/// </remarks>
internal sealed class UserStore(FuncAuthTables tables, TimeProvider time)
{
    private const string AccountRow = "account";
    private const string ActivityRow = "activity";
    private const string IdIndexRow = "user";
    private const string IdIndexPrefix = "id.";
    private const string IndexedKey = "Key";
    private const string ClaimedAt = "ClaimedAt";
    private const string LastSignInAt = "LastSignInAt";
    private const string Closing = "Closing";
    private const int Rounds = 8;

    /// <summary>How long an id claim stands without its account: longer than any registration or import takes to write one.</summary>
    public static readonly TimeSpan IdClaimGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds the user: <see cref="UserAdded.Added"/>, or which of its name and id is another user's already. The id is
    /// claimed first (its index row), then the account inserted; a claim whose account never got written (the name taken,
    /// a fault in between) is given back here or, failing that, taken over by the next claimant once it is stale.
    /// </summary>
    public async Task<UserAdded> TryAddAsync(UserAccount account, CancellationToken cancellationToken)
    {
        if (!await TryClaimIdAsync(account, cancellationToken))
        {
            return UserAdded.IdTaken;
        }

        if (await TryAddAccountAsync(account, cancellationToken))
        {
            return UserAdded.Added;
        }

        // The name is taken: the id goes back, whether or not the client still waits.
        await ReleaseIdAsync(account.Id, account.Key, CancellationToken.None);
        return UserAdded.UsernameTaken;
    }

    /// <summary>
    /// The user with the id, or null; a closing account is none. By the id index (two point reads); an account made before
    /// the index existed has no index row, and is looked for once by a filtered scan, then indexed.
    /// </summary>
    public Task<UserAccount?> FindByIdAsync(string id, CancellationToken cancellationToken) =>
        !UserIds.IsValid(id)
            ? Task.FromResult<UserAccount?>(null)
            : tables.Users.RunAsync(
                async (table, ct) =>
                {
                    var index = await table.GetEntityIfExistsAsync<TableEntity>(IdIndexPrefix + id, IdIndexRow, cancellationToken: ct);
                    if (index.HasValue && index.Value is { } entry && entry.GetString(IndexedKey) is { } key)
                    {
                        var found = await table.GetEntityIfExistsAsync<TableEntity>(key, AccountRow, cancellationToken: ct);
                        return found.HasValue && found.Value is { } indexed && FromEntity(indexed) is { } account && account.Id == id
                            ? (indexed.GetBoolean(Closing) == true ? null : account)
                            : null;
                    }

                    // No index row: an account from before the index (or none). The filter is built by the SDK, which
                    // escapes it; the id has been validated besides.
                    var filter = TableClient.CreateQueryFilter($"RowKey eq {AccountRow} and Id eq {id}");
                    await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
                    {
                        if (FromEntity(entity) is { } old && old.Id == id)
                        {
                            // Indexed from now on. An insert: if a new account claimed the id meanwhile, its row stands.
                            try
                            {
                                await table.AddEntityAsync(IdIndexEntity(id, old.Key), ct);
                            }
                            catch (RequestFailedException e) when (e.Status == 409)
                            {
                            }

                            return entity.GetBoolean(Closing) == true ? null : old;
                        }
                    }

                    return null;
                },
                cancellationToken);

    /// <summary>
    /// One page of users in key order (the Table service's continuation, <paramref name="continuation"/> from the last
    /// page), at most <paramref name="limit"/>; with <paramref name="keyPrefix"/>, only keys that start with it (a range of
    /// partitions). A page may hold fewer users than the limit (or none) while a continuation still follows: the service
    /// ends a page where it likes, and closing accounts are left out.
    /// </summary>
    public Task<UserPage> ListAsync(string? keyPrefix, string? continuation, int limit, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                // '~' sorts after every base64url character: [prefix, prefix~) is every key that starts with the prefix.
                var filter = string.IsNullOrEmpty(keyPrefix)
                    ? TableClient.CreateQueryFilter($"RowKey eq {AccountRow}")
                    : TableClient.CreateQueryFilter($"RowKey eq {AccountRow} and PartitionKey ge {keyPrefix} and PartitionKey lt {keyPrefix + "~"}");
                await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: ct).AsPages(continuation, limit))
                {
                    var users = page.Values.Where(e => e.GetBoolean(Closing) != true).Select(FromEntity).OfType<UserAccount>().ToList();
                    return new UserPage(users, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
                }

                return new UserPage([], null);
            },
            cancellationToken);

    /// <summary>
    /// Records a successful sign-in of the user, in the <c>activity</c> row beside the account: an unconditional merge of
    /// its own row, so no conditional write on the account (a password change, an administrator's) loses to it.
    /// </summary>
    public Task RecordSignInAsync(UserAccount account, DateTimeOffset at, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var entity = new TableEntity(account.Key, ActivityRow)
                {
                    [nameof(UserAccount.Id)] = account.Id,
                    [LastSignInAt] = at.ToUniversalTime(),
                };
                await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, ct);
                return true;
            },
            cancellationToken);

    /// <summary>When the user last signed in, or null (never since it was recorded; the row of a former holder of the name is not theirs).</summary>
    public Task<DateTimeOffset?> LastSignInAsync(UserAccount account, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                var found = await table.GetEntityIfExistsAsync<TableEntity>(account.Key, ActivityRow, cancellationToken: ct);
                return found.HasValue && found.Value is { } entity && entity.GetString(nameof(UserAccount.Id)) == account.Id
                    ? entity.GetDateTimeOffset(LastSignInAt)
                    : null;
            },
            cancellationToken);

    /// <summary>
    /// Claims the id for the account: true when the index row names its key (written now, ours already from a retried
    /// insert, or taken over from a stale claim), false when another account has the id or may be writing it right now.
    /// </summary>
    private Task<bool> TryClaimIdAsync(UserAccount account, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    try
                    {
                        await table.AddEntityAsync(IdIndexEntity(account.Id, account.Key), ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status == 409)
                    {
                    }

                    var found = await table.GetEntityIfExistsAsync<TableEntity>(IdIndexPrefix + account.Id, IdIndexRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } claim)
                    {
                        // Released in between: try the insert again.
                        continue;
                    }

                    var claimedKey = claim.GetString(IndexedKey);
                    if (claimedKey == account.Key)
                    {
                        // Ours: the SDK's retry of an insert whose answer was lost, or an earlier attempt with this very name.
                        return true;
                    }

                    if (!await IsStaleAsync(table, claim, account.Id, ct))
                    {
                        return false;
                    }

                    try
                    {
                        await table.UpdateEntityAsync(IdIndexEntity(account.Id, account.Key), claim.ETag, TableUpdateMode.Replace, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                        // Someone else took it over or released it first: look again.
                    }
                }

                throw new StorageUnavailableException("The user id could not be claimed: its index row kept changing.");
            },
            cancellationToken);

    /// <summary>
    /// Whether another key's claim on the id may be taken over: old enough that no add can still be writing its account
    /// (a claim without a time is no one's in flight: FuncAuth writes the time), and that account missing or with another id.
    /// </summary>
    private async Task<bool> IsStaleAsync(TableClient table, TableEntity claim, string id, CancellationToken ct)
    {
        if (claim.GetString(IndexedKey) is not { Length: > 0 } key)
        {
            return true;
        }

        var holder = await table.GetEntityIfExistsAsync<TableEntity>(key, AccountRow, cancellationToken: ct);
        if (holder.HasValue && holder.Value is { } entity && entity.GetString(nameof(UserAccount.Id)) == id)
        {
            // A live account (or one being deleted, which still is until its row goes): the id is taken.
            return false;
        }

        return claim.GetDateTimeOffset(ClaimedAt) is not { } claimedAt || time.GetUtcNow() - claimedAt >= IdClaimGrace;
    }

    /// <summary>Gives the id's index row up if it still names <paramref name="key"/> (a missing one is no error).</summary>
    private Task<bool> ReleaseIdAsync(string id, string key, CancellationToken cancellationToken) =>
        tables.Users.RunAsync(
            async (table, ct) =>
            {
                for (var round = 0; round < Rounds; round++)
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(IdIndexPrefix + id, IdIndexRow, cancellationToken: ct);
                    if (!found.HasValue || found.Value is not { } claim || claim.GetString(IndexedKey) != key)
                    {
                        return true;
                    }

                    try
                    {
                        await table.DeleteEntityAsync(claim.PartitionKey, claim.RowKey, claim.ETag, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                        // Changed since read: look again (404: someone else removed it, the next read says so).
                    }
                }

                throw new StorageUnavailableException("The user id could not be released: its index row kept changing.");
            },
            cancellationToken);

    private TableEntity IdIndexEntity(string id, string key) => new(IdIndexPrefix + id, IdIndexRow)
    {
        [IndexedKey] = key,
        [ClaimedAt] = time.GetUtcNow(),
    };

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

    /// <summary>
    /// Removes the user the name belongs to if it is still <paramref name="userId"/> (a missing one is no error), then its
    /// id's index row and its activity row.
    /// </summary>
    public async Task DeleteAsync(Username username, string userId, CancellationToken cancellationToken)
    {
        await tables.Users.RunAsync(
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

        // Only after the account row: until it is gone the id is the account's. The activity row names its user, so one
        // left behind would never be shown for a later holder of the name; it goes all the same.
        await ReleaseIdAsync(userId, username.Key, cancellationToken);
        await tables.Users.RunAsync(
            async (table, ct) =>
            {
                var activity = await table.GetEntityIfExistsAsync<TableEntity>(username.Key, ActivityRow, cancellationToken: ct);
                if (activity.HasValue && activity.Value is { } row && row.GetString(nameof(UserAccount.Id)) == userId)
                {
                    try
                    {
                        await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct);
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                        // Removed, or written by a sign-in racing the deletion (which then failed its own second look).
                    }
                }

                return true;
            },
            cancellationToken);
    }

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
