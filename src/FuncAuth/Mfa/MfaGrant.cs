using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Mfa;

/// <summary>
/// The token endpoint's <c>grant_type=urn:funcauth:grant-type:mfa</c>: the second step after the password grant answered
/// <c>mfa_required</c>, with <c>mfa_token</c> and either <c>otp</c> (the authenticator app's code) or <c>recovery_code</c>.
/// Offered exactly when the password grant is; it draws on the password budget as that grant does.
/// </summary>
internal sealed class MfaGrant(SecondFactorSignIn secondFactor)
{
    public const string GrantType = "urn:funcauth:grant-type:mfa";

    public async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> ExchangeAsync(
        Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (parameters.GetValueOrDefault("mfa_token") is not { } mfaToken)
        {
            return OAuthErrors.InvalidRequest("The mfa_token parameter is required: the one the password grant's mfa_required answer carried.");
        }

        var otp = parameters.GetValueOrDefault("otp");
        var recoveryCode = parameters.GetValueOrDefault("recovery_code");
        if ((otp is null) == (recoveryCode is null))
        {
            return OAuthErrors.InvalidRequest("Send exactly one of otp (the authenticator app's code) and recovery_code.");
        }

        var result = await secondFactor.CompleteAsync(mfaToken, otp, recoveryCode, SessionKind.Direct, cancellationToken);
        return result switch
        {
            { SignIn: { } signIn } => OAuthEndpoints.Success(signIn),
            { Outcome: SignInOutcome.MfaTokenInvalid } => OAuthErrors.InvalidGrant(TotpEndpoints.MfaTokenInvalidDetail),
            { Outcome: SignInOutcome.AccountDisabled } => OAuthErrors.InvalidGrant(SignInResult.AccountDisabledDetail),
            _ => OAuthErrors.InvalidGrant("The code is incorrect."),
        };
    }
}
