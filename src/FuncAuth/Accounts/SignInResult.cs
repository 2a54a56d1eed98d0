using FuncAuth.Sessions;

namespace FuncAuth.Accounts;

/// <summary>
/// What a password sign-in came to. New steps of sign-in (a confirmed email required, a second factor, a disabled
/// account) are new outcomes here, answered by each caller in its own protocol.
/// </summary>
internal enum SignInOutcome
{
    /// <summary>A session was started: <see cref="SignInResult.SignIn"/> holds its tokens.</summary>
    Succeeded,

    /// <summary>Unknown user, wrong password, locked name, or an account that changed during the sign-in: one answer for all.</summary>
    Failed,

    /// <summary>
    /// The right password, for an account whose email address is missing or not confirmed while
    /// <see cref="AccountOptions.RequireConfirmedEmail"/> is on: no session was started. Only ever answered after the right
    /// password, so it tells a guesser nothing a failure would not.
    /// </summary>
    EmailNotConfirmed,

    /// <summary>
    /// The right password for an account with a second factor on: no session yet. <see cref="SignInResult.MfaToken"/> (single
    /// use, 5 minutes, bound to this password step) and a code complete the sign-in (Mfa/SecondFactorSignIn).
    /// </summary>
    MfaRequired,

    /// <summary>
    /// The second step's <c>mfa_token</c> is unknown, spent or expired, or its account changed since the password step: sign
    /// in again from the password.
    /// </summary>
    MfaTokenInvalid,

    /// <summary>
    /// The right password (or a valid passkey, or a right second step) for an account an administrator disabled
    /// (<see cref="UserAccount.Disabled"/>): no session. Only ever answered after the user proved who they are, so it tells a
    /// guesser nothing a failure would not, and the owner learns whom to ask.
    /// </summary>
    AccountDisabled,
}

/// <summary>The outcome of <see cref="PasswordSignIn.SignInAsync"/>, with the session's tokens when it succeeded.</summary>
internal sealed record SignInResult(SignInOutcome Outcome, SignIn? SignIn, string? MfaToken = null)
{
    public static SignInResult Failed { get; } = new(SignInOutcome.Failed, null);

    public static SignInResult EmailNotConfirmed { get; } = new(SignInOutcome.EmailNotConfirmed, null);

    public static SignInResult MfaTokenInvalid { get; } = new(SignInOutcome.MfaTokenInvalid, null);

    public static SignInResult AccountDisabled { get; } = new(SignInOutcome.AccountDisabled, null);

    /// <summary>What every protocol says to the owner of a disabled account (after the right password only).</summary>
    public const string AccountDisabledDetail = "This account is disabled; contact your administrator.";

    public static SignInResult Succeeded(SignIn signIn) => new(SignInOutcome.Succeeded, signIn);

    public static SignInResult MfaRequired(string mfaToken) => new(SignInOutcome.MfaRequired, null, mfaToken);
}
