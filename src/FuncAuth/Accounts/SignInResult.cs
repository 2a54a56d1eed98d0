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
}

/// <summary>The outcome of <see cref="PasswordSignIn.SignInAsync"/>, with the session's tokens when it succeeded.</summary>
internal sealed record SignInResult(SignInOutcome Outcome, SignIn? SignIn)
{
    public static SignInResult Failed { get; } = new(SignInOutcome.Failed, null);

    public static SignInResult Succeeded(SignIn signIn) => new(SignInOutcome.Succeeded, signIn);
}
