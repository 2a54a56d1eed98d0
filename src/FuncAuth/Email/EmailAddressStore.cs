namespace FuncAuth.Email;

/// <summary>Which account an address belongs to: one row per address, so two accounts never hold the same one.</summary>
internal sealed class EmailAddressStore
{
    /// <summary>Claims the address for the user; false when another live account holds it.</summary>
    public Task<bool> TryClaimAsync(EmailAddress address, string userKey, string userId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>Gives the address up if the user still holds it.</summary>
    public Task ReleaseAsync(EmailAddress address, string userId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>The user key (the Users table's partition key) and id of the account holding the address, or null.</summary>
    public Task<EmailOwner?> FindOwnerAsync(EmailAddress address, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

internal sealed record EmailOwner(string UserKey, string UserId);
