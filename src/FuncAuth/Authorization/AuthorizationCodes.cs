namespace FuncAuth.Authorization;

/// <summary>
/// Authorization codes (RFC 6749 §4.1.2): at least 128 random bits, only a hash stored, single use, 60 seconds.
/// </summary>
internal sealed class AuthorizationCodes
{
    /// <summary>Stores a new code for the grant and answers it; it is never stored or logged as it is.</summary>
    public Task<string> IssueAsync(AuthorizationGrant grant, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>
    /// Spends the code (decided by the table: of any number of racing redemptions exactly one wins), recording
    /// <paramref name="sessionId"/>, the session the redemption is about to start, so a second use can end it.
    /// </summary>
    public Task<CodeRedemption> RedeemAsync(string code, string sessionId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

internal enum CodeOutcome
{
    Redeemed,
    Invalid,
    Expired,

    /// <summary>Already redeemed: <see cref="CodeRedemption.Grant"/> and <see cref="CodeRedemption.IssuedSessionId"/> say what the first use started.</summary>
    Reused,
}

internal sealed record CodeRedemption(CodeOutcome Outcome, AuthorizationGrant? Grant, string? IssuedSessionId);
