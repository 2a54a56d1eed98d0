using System.Text;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using FuncAuth.Accounts;
using FuncAuth.Security;
using FuncAuth.Sessions;
using FuncAuth.Storage;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Passkeys;

/// <summary>
/// Passwordless sign-in with a discoverable credential, for every way in (api/auth/passkeys/login, the hosted page's
/// passkey button). The assertion names its user (the user handle) and its credential: one point read finds the passkey,
/// one the account (by the key stored with the passkey, and only if it still has that id). A passkey with user
/// verification is two factors in one (something held, and a PIN or biometrics), so it satisfies the second factor.
/// </summary>
internal sealed class PasskeySignIn(
    PasskeyRelyingParty relyingParty, PasskeyChallenges challenges, PasskeyStore store, UserStore users, SignInCompletion completion,
    TimeProvider time, ILogger<PasskeySignIn> logger)
{
    /// <summary>Assertion options (no allowCredentials: the authenticator offers its discoverable credentials; user verification required), the challenge stored single use for 5 minutes.</summary>
    public async Task<string> CreateOptionsAsync(CancellationToken cancellationToken)
    {
        var options = relyingParty.Fido2.GetAssertionOptions(new GetAssertionOptionsParams { UserVerification = UserVerificationRequirement.Required });
        var json = options.ToJson();
        await challenges.StoreAsync(options.Challenge, PasskeyCeremony.SignIn, null, json, cancellationToken);
        return json;
    }

    /// <summary>
    /// Verifies an assertion (WebAuthn JSON) against a stored, unspent challenge and the credential it names, and starts a
    /// session of <paramref name="kind"/> through <see cref="SignInCompletion"/> with <c>amr</c> ["hwk","user"] or
    /// ["swk","user"]. <see cref="SignInOutcome.Failed"/> for every refusal (one answer; the reason goes to the security log).
    /// </summary>
    public async Task<SignInResult> SignInAsync(string assertionJson, SessionKind kind, CancellationToken cancellationToken)
    {
        var (account, passkey, refusal) = await VerifyAsync(assertionJson, cancellationToken);
        if (account is null || passkey is null)
        {
            SecurityEvents.PasskeySignInRefused(logger, refusal!);
            SecurityEvents.LoginFailed(logger);
            return SignInResult.Failed;
        }

        // The BE flag recorded at registration: a backup-eligible (synced) passkey's key lives in software that copies it
        // between devices (RFC 8176 "swk"); a device-bound one's in the authenticator's hardware ("hwk").
        IReadOnlyList<string> methods = passkey.BackupEligible
            ? [AuthenticationMethods.SoftwareKey, AuthenticationMethods.UserPresence]
            : [AuthenticationMethods.HardwareKey, AuthenticationMethods.UserPresence];
        return await completion.CompleteAsync(account, methods, kind);
    }

    private async Task<(UserAccount? Account, PasskeyCredential? Passkey, string? Refusal)> VerifyAsync(string assertionJson, CancellationToken cancellationToken)
    {
        if (PasskeyJson.ReadAssertion(assertionJson) is not { } raw || PasskeyJson.ReadClientData(raw.Response.ClientDataJson) is not { } clientData)
        {
            return (null, null, "not an assertion's JSON");
        }

        // The challenge is spent before anything else is verified: an assertion is answered once, whatever comes of it, and
        // of racing answers exactly one goes on.
        var challenge = await challenges.SpendAsync(clientData.Challenge, PasskeyCeremony.SignIn, cancellationToken);
        switch (challenge.Outcome)
        {
            case ChallengeOutcome.Unknown:
                return (null, null, "challenge unknown or already spent");
            case ChallengeOutcome.Expired:
                return (null, null, "challenge expired");
            case ChallengeOutcome.OtherCeremony:
                return (null, null, "challenge issued for a registration");
        }

        // Discoverable credentials always return the user handle (WebAuthn §6.3.3): without it there is no user to look up.
        if (raw.Response.UserHandle is not { Length: > 0 and <= 64 } userHandle)
        {
            return (null, null, "no user handle");
        }

        var userId = DecodeUserHandle(userHandle);
        if (userId is null || await store.FindAsync(userId, raw.Id, cancellationToken) is not { } passkey)
        {
            return (null, null, "no such passkey for the user handle");
        }

        if (await users.FindByKeyAsync(passkey.UserKey, cancellationToken) is not { } account || account.Id != userId)
        {
            return (null, null, "the passkey's account no longer exists");
        }

        if (!relyingParty.Origins.Contains(clientData.Origin, StringComparer.OrdinalIgnoreCase))
        {
            return (null, null, "another origin");
        }

        VerifyAssertionResult result;
        try
        {
            result = await relyingParty.Fido2.MakeAssertionAsync(
                new MakeAssertionParams
                {
                    AssertionResponse = raw,
                    OriginalOptions = AssertionOptions.FromJson(challenge.OptionsJson!),
                    StoredPublicKey = passkey.PublicKey,
                    StoredSignatureCounter = passkey.SignCount,
                    // The passkey was read by (user handle, credential id): it is that user's by construction; checked again.
                    IsUserHandleOwnerOfCredentialIdCallback = (owner, _) => Task.FromResult(
                        owner.UserHandle.AsSpan().SequenceEqual(userHandle) && owner.CredentialId.AsSpan().SequenceEqual(passkey.CredentialId)),
                },
                cancellationToken);
        }
        catch (Fido2VerificationException e) when (e.Code == Fido2ErrorCode.InvalidSignCount)
        {
            // Only reached with a valid signature: the key signed, but its counter is not past the one recorded.
            SecurityEvents.PasskeyCounterWentBack(logger, userId);
            return (null, null, "signature counter did not increase");
        }
        catch (Fido2VerificationException e)
        {
            return (null, null, Reason(e.Code));
        }
        catch (Exception e) when (e is not (StorageUnavailableException or OperationCanceledException))
        {
            // Fido2 parses what the client made up: anything it throws on it is a malformed assertion, never a 500.
            return (null, null, "unreadable assertion");
        }

        // Recorded by the table: If-Match the passkey as read. A racing sign-in with the same passkey changed it: read it
        // again and hold the counter against what that one recorded.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (CounterWentBack(passkey.SignCount, result.SignCount))
            {
                SecurityEvents.PasskeyCounterWentBack(logger, userId);
                return (null, null, "signature counter did not increase");
            }

            if (await store.TryRecordUseAsync(passkey, result.SignCount, result.IsBackedUp, time.GetUtcNow(), cancellationToken))
            {
                return (account, passkey, null);
            }

            if (await store.FindAsync(userId, raw.Id, cancellationToken) is not { } again)
            {
                return (null, null, "the passkey was removed during the sign-in");
            }

            passkey = again;
        }

        return (null, null, "the passkey's record is contended");
    }

    /// <summary>
    /// WebAuthn §7.2 step 21: when either counter is non-zero, the presented one must be greater than the stored one. A
    /// counter that stays or goes back means two copies of the key exist (a cloned authenticator).
    /// </summary>
    private static bool CounterWentBack(uint stored, uint presented) => (stored != 0 || presented != 0) && presented <= stored;

    private static string? DecodeUserHandle(byte[] userHandle)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(userHandle);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Reason(Fido2ErrorCode code) => code switch
    {
        Fido2ErrorCode.InvalidRpidHash => "another relying party id",
        Fido2ErrorCode.UserVerificationRequirementNotMet => "user not verified",
        Fido2ErrorCode.UserPresentFlagNotSet => "user not present",
        Fido2ErrorCode.InvalidSignature => "invalid signature",
        Fido2ErrorCode.InvalidAssertionResponse => "not an assertion (wrong type, or user handle not the credential's owner)",
        _ => "assertion not verified (" + code + ")",
    };
}
