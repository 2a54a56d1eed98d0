using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Mfa;

/// <summary>
/// The second step of a sign-in that answered <see cref="SignInOutcome.MfaRequired"/>, for every way in (api/auth/login/mfa,
/// the token endpoint's mfa grant, the hosted page's second step): the password step mints an <c>mfa_token</c>
/// (<see cref="BeginAsync"/>), and a code completes it (<see cref="CompleteAsync"/>).
/// </summary>
internal sealed class SecondFactorSignIn(
    TotpStore totp,
    MfaTokens mfaTokens,
    SecondFactorCheck factors,
    RecoveryCodes recoveryCodes,
    UserStore users,
    SignInCompletion completion,
    AccountMail mail,
    ILogger<SecondFactorSignIn> logger)
{
    /// <summary>amr of a password and a TOTP code (RFC 8176).</summary>
    public static IReadOnlyList<string> PasswordAndTotp { get; } =
        [AuthenticationMethods.Password, AuthenticationMethods.OneTimePassword, AuthenticationMethods.MultipleFactors];

    /// <summary>amr of a password and a recovery code: two factors, though not a one-time password from a device.</summary>
    public static IReadOnlyList<string> PasswordAndRecoveryCode { get; } = [AuthenticationMethods.Password, AuthenticationMethods.MultipleFactors];

    /// <summary>
    /// After the right password: an mfa token for a session of <paramref name="kind"/> when the account has a second factor
    /// on (one point read), else null and the password alone signs in. Not under the request's cancellation.
    /// </summary>
    public async Task<string?> BeginAsync(UserAccount account, SessionKind kind)
    {
        if (!await totp.IsEnabledAsync(account.Id, CancellationToken.None))
        {
            return null;
        }

        SecurityEvents.MfaRequired(logger, account.Id);
        return await mfaTokens.MintAsync(account, kind);
    }

    /// <summary>
    /// Completes the sign-in the <paramref name="mfaToken"/> stands for with a TOTP <paramref name="code"/> or a
    /// <paramref name="recoveryCode"/> (exactly one of them), starting a session of <paramref name="kind"/> through
    /// <see cref="SignInCompletion"/>. Outcomes: <see cref="SignInOutcome.Succeeded"/>; <see cref="SignInOutcome.Failed"/> (a
    /// wrong, replayed or out-of-window code, a spent recovery code, or a locked account: the token stays usable until it
    /// expires); <see cref="SignInOutcome.MfaTokenInvalid"/> (unknown, spent or expired token, or the account changed);
    /// <see cref="SignInOutcome.AccountDisabled"/> (an administrator disabled the account since the password step).
    /// </summary>
    public async Task<SignInResult> CompleteAsync(string? mfaToken, string? code, string? recoveryCode, SessionKind kind, CancellationToken cancellationToken)
    {
        // Exactly one of them: callers answer 400 before; here both or neither is simply no proof.
        if ((code is null) == (recoveryCode is null))
        {
            SecurityEvents.LoginFailed(logger);
            return SignInResult.Failed;
        }

        var token = await mfaTokens.FindAsync(mfaToken, kind, cancellationToken);
        if (token is null)
        {
            SecurityEvents.MfaTokenInvalid(logger, "unknown, spent, expired or for another kind of session");
            return SignInResult.MfaTokenInvalid;
        }

        // The account as the password proved it: deleted, renamed or with a rotated stamp (a password change or reset,
        // logout everywhere) since then, the token is void.
        var account = await users.FindByKeyAsync(token.UserKey, cancellationToken);
        if (account is { Disabled: true } && account.Id == token.UserId)
        {
            // Disabled since the password step (which would have said so): the token proves the right password, so the
            // clear answer tells its holder nothing new. Disabling rotates the stamp too: the check below would refuse anyway.
            SecurityEvents.SignInRefusedAccountDisabled(logger, account.Id);
            return SignInResult.AccountDisabled;
        }

        if (account is null || account.Id != token.UserId || !string.Equals(account.SecurityStamp, token.Stamp, StringComparison.Ordinal))
        {
            SecurityEvents.MfaTokenInvalid(logger, "the account changed since the password step");
            return SignInResult.MfaTokenInvalid;
        }

        var normalizedCode = code is null ? null : TotpSecrets.Normalize(code);
        var normalizedRecovery = recoveryCode is null ? null : RecoveryCodes.Normalize(recoveryCode) ?? string.Empty;
        switch (await factors.CheckAsync(account, normalizedCode, normalizedRecovery, cancellationToken))
        {
            case FactorVerdict.NotEnabled:
                // Turned off since the password step: the password alone signs in now, from the start.
                SecurityEvents.MfaTokenInvalid(logger, "the second factor was turned off since the password step");
                return SignInResult.MfaTokenInvalid;
            case FactorVerdict.Wrong:
                SecurityEvents.LoginFailed(logger);
                return SignInResult.Failed;
        }

        // Spent only now, so a mistyped code leaves it usable; among racing completions with right codes, one wins.
        if (!await mfaTokens.TrySpendAsync(token))
        {
            SecurityEvents.MfaTokenInvalid(logger, "spent by a racing completion");
            return SignInResult.MfaTokenInvalid;
        }

        if (recoveryCode is null)
        {
            return await completion.CompleteAsync(account, PasswordAndTotp, kind);
        }

        var result = await completion.CompleteAsync(account, PasswordAndRecoveryCode, kind);
        if (result.Outcome == SignInOutcome.Succeeded)
        {
            var remaining = await recoveryCodes.CountAsync(account.Id, CancellationToken.None);
            SecurityEvents.RecoveryCodeUsed(logger, account.Id, remaining);
            await mail.NotifyAsync(OutboxKinds.RecoveryCodeUsed, account, new Dictionary<string, string> { [EmailMessages.Remaining] = remaining.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        return result;
    }
}
