using System.Text;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using FuncAuth.Accounts;
using FuncAuth.Security;
using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Passkeys;

/// <summary>
/// Registering, listing and removing a user's passkeys. Options and credentials travel as WebAuthn Level 3 JSON (base64url
/// binary fields), what <c>PublicKeyCredential.parseCreationOptionsFromJSON</c> reads and <c>PublicKeyCredential.toJSON()</c>
/// writes. The account page (SingleSignOn/AccountPageEndpoints) and the API both come through here.
/// </summary>
internal sealed class PasskeyRegistration(
    PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, PasskeyStore store, TimeProvider time, ILogger<PasskeyRegistration> logger)
{
    /// <summary>The name a passkey gets when its owner gives none.</summary>
    public const string DefaultName = "Passkey";

    public const int MaxNameLength = 64;

    /// <summary>
    /// Creation options for the account (a discoverable credential, user verification required, attestation "none", the
    /// user's passkeys excluded so an authenticator does not make a second one), their challenge stored single use for 5 minutes.
    /// </summary>
    public async Task<string> CreateOptionsAsync(UserAccount account, CancellationToken cancellationToken)
    {
        var existing = await store.ListAsync(account.Id, cancellationToken);
        var options = relyingParty.Fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            // The user handle is the user id (a GUID: 36 bytes, within WebAuthn's 64, and nothing personal in it).
            User = new Fido2User { Id = Encoding.UTF8.GetBytes(account.Id), Name = account.Username, DisplayName = account.Username },
            ExcludeCredentials = [.. existing.Select(p => new PublicKeyCredentialDescriptor(PublicKeyCredentialType.PublicKey, p.CredentialId, ParseTransports(p.Transports)))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = AttestationConveyancePreference.None,
            PubKeyCredParams = [PubKeyCredParam.ES256, PubKeyCredParam.Ed25519, PubKeyCredParam.RS256],
        });
        var json = options.ToJson();
        await challenges.StoreAsync(options.Challenge, PasskeyCeremony.Registration, account.Id, json, cancellationToken);
        return json;
    }

    /// <summary>
    /// Verifies an attestation (the answer to options this account was given, spent first) and stores the credential under
    /// <paramref name="name"/> (trimmed; the caller checked it with <see cref="CheckName"/>).
    /// </summary>
    public async Task<PasskeyRegistrationResult> RegisterAsync(UserAccount account, string attestationJson, string? name, CancellationToken cancellationToken)
    {
        var (passkey, refusal) = await VerifyAndStoreAsync(account, attestationJson, CheckName(name).Name ?? DefaultName, cancellationToken);
        if (passkey is null)
        {
            SecurityEvents.PasskeyRegistrationRefused(logger, account.Id, refusal!);
            return new PasskeyRegistrationResult(null, refusal);
        }

        SecurityEvents.PasskeyRegistered(logger, account.Id, passkey.BackupEligible);
        return new PasskeyRegistrationResult(passkey.ToStoredPasskey(), null);
    }

    /// <summary>The user's passkeys, newest first.</summary>
    public async Task<IReadOnlyList<StoredPasskey>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        var passkeys = await store.ListAsync(userId, cancellationToken);
        return [.. passkeys.OrderByDescending(p => p.CreatedAt).Select(p => p.ToStoredPasskey())];
    }

    /// <summary>Removes the user's passkey <paramref name="id"/>; false when the user has none by that id (another user's included).</summary>
    public async Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(userId, id, cancellationToken))
        {
            return false;
        }

        SecurityEvents.PasskeyRemoved(logger, userId);
        return true;
    }

    /// <summary>A passkey's name, trimmed (null: the default), or why it cannot be one.</summary>
    public static (string? Name, string? Error) CheckName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return (null, name is null ? null : "The name must not be empty; leave it out for \"Passkey\".");
        }

        return trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl)
            ? (null, $"The name must be 1 to {MaxNameLength} characters, without control characters.")
            : (trimmed, null);
    }

    private async Task<(PasskeyCredential? Passkey, string? Refusal)> VerifyAndStoreAsync(
        UserAccount account, string attestationJson, string name, CancellationToken cancellationToken)
    {
        if (PasskeyJson.ReadAttestation(attestationJson) is not { } raw || PasskeyJson.ReadClientData(raw.Response.ClientDataJson) is not { } clientData)
        {
            return (null, "The credential is not a PublicKeyCredential's JSON (toJSON()) of a registration.");
        }

        if (raw.RawId.Length > PasskeyStore.MaxCredentialIdBytes)
        {
            return (null, $"The credential id is longer than {PasskeyStore.MaxCredentialIdBytes} bytes.");
        }

        // The challenge is spent before anything else is verified: an attestation is answered once, whatever comes of it.
        var challenge = await challenges.SpendAsync(clientData.Challenge, PasskeyCeremony.Registration, cancellationToken);
        switch (challenge.Outcome)
        {
            case ChallengeOutcome.Unknown or ChallengeOutcome.OtherCeremony:
                return (null, "The credential does not answer registration options of this service, or they were already used: ask for new options.");
            case ChallengeOutcome.Expired:
                return (null, "The registration options expired (after 5 minutes): ask for new options.");
        }

        if (challenge.UserId != account.Id)
        {
            return (null, "The registration options were given to another account.");
        }

        if (!relyingParty.Origins.Contains(clientData.Origin, StringComparer.OrdinalIgnoreCase))
        {
            return (null, "The credential was made on a page of another origin.");
        }

        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await relyingParty.Fido2.MakeNewCredentialAsync(
                new MakeNewCredentialParams
                {
                    AttestationResponse = raw,
                    OriginalOptions = CredentialCreateOptions.FromJson(challenge.OptionsJson!),
                    IsCredentialIdUniqueToUserCallback = (candidate, ct) =>
                        candidate.CredentialId.Length > PasskeyStore.MaxCredentialIdBytes ? Task.FromResult(false) : store.ClaimAsync(candidate.CredentialId, account.Id, ct),
                },
                cancellationToken);
        }
        catch (Fido2VerificationException e)
        {
            return (null, Refusal(e.Code));
        }
        catch (Exception e) when (e is not (StorageUnavailableException or OperationCanceledException))
        {
            // Fido2 parses CBOR and keys the client made up: anything it throws on them is a malformed attestation (400),
            // never a 500. Its messages are not passed on: some quote the input.
            return (null, "The attestation could not be read.");
        }

        var passkey = new PasskeyCredential(
            account.Id, account.Key, credential.Id, credential.PublicKey, credential.SignCount, FormatTransports(credential.Transports), name,
            time.GetUtcNow(), null, credential.AaGuid, credential.IsBackupEligible, credential.IsBackedUp, credential.AttestationFormat ?? "none", default);
        return await store.TryAddAsync(passkey, cancellationToken)
            ? (passkey, null)
            : (null, "That passkey is already registered.");
    }

    private static string Refusal(Fido2ErrorCode code) => code switch
    {
        Fido2ErrorCode.InvalidRpidHash => "The credential was made for another relying party id.",
        Fido2ErrorCode.UserVerificationRequirementNotMet => "The authenticator did not verify the user (PIN or biometrics); user verification is required.",
        Fido2ErrorCode.UserPresentFlagNotSet => "The authenticator did not test for user presence.",
        Fido2ErrorCode.NonUniqueCredentialId => "That passkey is already registered.",
        Fido2ErrorCode.CredentialAlgorithmRequirementNotMet => "The passkey uses an algorithm that was not offered (ES256, EdDSA, RS256).",
        Fido2ErrorCode.InvalidAttestationResponse or Fido2ErrorCode.InvalidAuthenticatorResponse => "The credential is not the answer to a registration.",
        _ => "The attestation could not be verified.",
    };

    private static string[] FormatTransports(AuthenticatorTransport[]? transports) =>
        [.. (transports ?? []).Select(t => t switch
        {
            AuthenticatorTransport.Usb => "usb",
            AuthenticatorTransport.Nfc => "nfc",
            AuthenticatorTransport.Ble => "ble",
            AuthenticatorTransport.SmartCard => "smart-card",
            AuthenticatorTransport.Hybrid => "hybrid",
            AuthenticatorTransport.Internal => "internal",
            _ => null,
        }).OfType<string>().Distinct()];

    private static AuthenticatorTransport[] ParseTransports(IReadOnlyList<string> transports) =>
        [.. transports.Select(t => t switch
        {
            "usb" => AuthenticatorTransport.Usb,
            "nfc" => AuthenticatorTransport.Nfc,
            "ble" => AuthenticatorTransport.Ble,
            "smart-card" => AuthenticatorTransport.SmartCard,
            "hybrid" => AuthenticatorTransport.Hybrid,
            "internal" => AuthenticatorTransport.Internal,
            _ => (AuthenticatorTransport?)null,
        }).OfType<AuthenticatorTransport>()];
}

/// <summary>A registered passkey as its owner sees it: <paramref name="Id"/> is the credential id, base64url.</summary>
internal sealed record StoredPasskey(string Id, string Name, IReadOnlyList<string> Transports, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>What a registration came to: the stored passkey, or why the attestation was refused (a sentence for the user).</summary>
internal sealed record PasskeyRegistrationResult(StoredPasskey? Passkey, string? Refusal);
