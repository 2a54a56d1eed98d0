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
}

/// <summary>The outcome of <see cref="PasswordSignIn.SignInAsync"/>, with the session's tokens when it succeeded.</summary>
internal sealed record SignInResult(SignInOutcome Outcome, SignIn? SignIn)
{
    public static SignInResult Failed { get; } = new(SignInOutcome.Failed, null);

    public static SignInResult EmailNotConfirmed { get; } = new(SignInOutcome.EmailNotConfirmed, null);

    public static SignInResult Succeeded(SignIn signIn) => new(SignInOutcome.Succeeded, signIn);
}
