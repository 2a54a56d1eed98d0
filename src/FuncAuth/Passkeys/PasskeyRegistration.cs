using FuncAuth.Accounts;

namespace FuncAuth.Passkeys;

/// <summary>
/// Registering, listing and removing a user's passkeys. SKELETON: helper P fills it in; the signatures are the contract the
/// account page (helper B) codes against. Options and credentials travel as WebAuthn Level 3 JSON (base64url binary fields),
/// what <c>PublicKeyCredential.parseCreationOptionsFromJSON</c> reads and <c>PublicKeyCredential.toJSON()</c> writes.
/// </summary>
internal sealed class PasskeyRegistration
{
    /// <summary>Creation options for the account (resident key required, user verification required), their challenge stored single use for 5 minutes.</summary>
    public Task<string> CreateOptionsAsync(UserAccount account, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>Verifies an attestation (the response to options this account was given) and stores the credential under <paramref name="name"/>.</summary>
    public Task<PasskeyRegistrationResult> RegisterAsync(UserAccount account, string attestationJson, string? name, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>The user's passkeys, newest first.</summary>
    public Task<IReadOnlyList<StoredPasskey>> ListAsync(string userId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>Removes the user's passkey <paramref name="id"/>; false when the user has none by that id (another user's included).</summary>
    public Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

/// <summary>A registered passkey as its owner sees it: <paramref name="Id"/> is the credential id, base64url.</summary>
internal sealed record StoredPasskey(string Id, string Name, IReadOnlyList<string> Transports, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>What a registration came to: the stored passkey, or why the attestation was refused (a sentence for the user).</summary>
internal sealed record PasskeyRegistrationResult(StoredPasskey? Passkey, string? Refusal);
