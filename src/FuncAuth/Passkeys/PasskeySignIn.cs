using FuncAuth.Accounts;
using FuncAuth.Sessions;

namespace FuncAuth.Passkeys;

/// <summary>
/// Passwordless sign-in with a discoverable credential, for every way in (api/auth/passkeys/login, the hosted page's
/// passkey button). SKELETON: helper P fills it in; the signatures are the contract the pages (helper B) code against.
/// </summary>
internal sealed class PasskeySignIn
{
    /// <summary>Assertion options (no allowCredentials: the authenticator offers its discoverable credentials; user verification required), the challenge stored single use for 5 minutes.</summary>
    public Task<string> CreateOptionsAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>
    /// Verifies an assertion (WebAuthn JSON) against a stored, unspent challenge and the credential it names, and starts a
    /// session of <paramref name="kind"/> through <see cref="SignInCompletion"/> with <c>amr</c> ["hwk","user"] or
    /// ["swk","user"]. <see cref="SignInOutcome.Failed"/> for every refusal (one answer).
    /// </summary>
    public Task<SignInResult> SignInAsync(string assertionJson, SessionKind kind, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
