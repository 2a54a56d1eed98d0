using FuncAuth.Email;
using FuncAuth.Mfa;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

/// <summary>
/// Password sign-in, for every way in (<c>login</c>, the OAuth password grant): the guarded check (lockout reservation,
/// the same PBKDF2 work for unknown and locked names), the second factor's mfa token when one is on, the session, and the
/// security events, in one place.
/// </summary>
internal sealed class PasswordSignIn(
    GuardedPasswordCheck passwords,
    UserStore users,
    SignInCompletion completion,
    SecondFactorSignIn secondFactor,
    IOptions<AccountOptions> options,
    ILogger<PasswordSignIn> logger)
{
    public Task<SignInResult> SignInAsync(Username username, Password password, CancellationToken cancellationToken) =>
        SignInAsync(username, password, SessionKind.Direct, cancellationToken);

    /// <summary>
    /// The same sign-in, starting a session of <paramref name="kind"/>: <see cref="SessionKind.Direct"/> (login, the password
    /// grant) or <see cref="SessionKind.Browser"/> (the hosted sign-in page, whose result's refresh token is the cookie's secret).
    /// </summary>
    public async Task<SignInResult> SignInAsync(Username username, Password password, SessionKind kind, CancellationToken cancellationToken)
    {
        if (kind is not (SessionKind.Direct or SessionKind.Browser))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A password sign-in starts a direct or a browser session.");
        }

        var check = await passwords.CheckAsync(username, password, ownerId: null, cancellationToken);
        if (check.Verdict != PasswordVerdict.Right || check.Account is not { } account)
        {
            // One answer for an unknown user, a wrong password and a locked name: don't reveal who has an account.
            SecurityEvents.LoginFailed(logger);
            return SignInResult.Failed;
        }

        // From here on nothing runs under the request's cancellation: a client that hangs up must not leave a half-made
        // session behind the stamp check below.
        if (check.Outdated)
        {
            // A cheaper cost than configured, or a hash of the legacy form (LegacyPasswordForm): rewritten from the normalised text.
            // A lost race is harmless: whoever updated the user first, their write stands (the stamp is not touched).
            await users.TryUpdatePasswordHashAsync(account, await passwords.HashAsync(password.Text, CancellationToken.None), CancellationToken.None);
        }

        // Only now, after the right password (which the lockout has already counted as one): a guesser learns nothing
        // from these answers that a failure would not tell them, and the owner learns what to do. A disabled account first:
        // confirming an address or a second factor would not help its owner.
        if (account.Disabled)
        {
            SecurityEvents.SignInRefusedAccountDisabled(logger, account.Id);
            return SignInResult.AccountDisabled;
        }

        if (options.Value.RequireConfirmedEmail && (account.Email is null || !account.EmailConfirmed))
        {
            SecurityEvents.SignInRefusedEmailNotConfirmed(logger, account.Id);
            return SignInResult.EmailNotConfirmed;
        }

        // A second factor on: no session yet, only an mfa token for this kind of session and this password step (the
        // account's stamp), which a code completes (SecondFactorSignIn.CompleteAsync). Asked after the confirmed-email rule,
        // so an owner is told what to fix first.
        if (await secondFactor.BeginAsync(account, kind) is { } mfaToken)
        {
            return SignInResult.MfaRequired(mfaToken);
        }

        return await completion.CompleteAsync(account, AuthenticationMethods.PasswordOnly, kind);
    }
}
