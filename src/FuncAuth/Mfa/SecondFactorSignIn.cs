using FuncAuth.Accounts;
using FuncAuth.Sessions;

namespace FuncAuth.Mfa;

/// <summary>
/// The second step of a sign-in that answered <see cref="SignInOutcome.MfaRequired"/>, for every way in (api/auth/login/mfa,
/// the token endpoint's mfa grant, the hosted page's second step). SKELETON: helper T fills it in; the signatures are the
/// contract the pages (helper B) code against.
/// </summary>
internal sealed class SecondFactorSignIn
{
    /// <summary>
    /// Completes the sign-in the <paramref name="mfaToken"/> stands for with a TOTP <paramref name="code"/> or a
    /// <paramref name="recoveryCode"/> (exactly one of them), starting a session of <paramref name="kind"/> through
    /// <see cref="SignInCompletion"/>. Outcomes: <see cref="SignInOutcome.Succeeded"/>; <see cref="SignInOutcome.Failed"/> (a
    /// wrong, replayed or out-of-window code, a spent recovery code, or a locked account: the token stays usable until it
    /// expires); <see cref="SignInOutcome.MfaTokenInvalid"/> (unknown, spent or expired token, or the account changed).
    /// </summary>
    public Task<SignInResult> CompleteAsync(string? mfaToken, string? code, string? recoveryCode, SessionKind kind, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
