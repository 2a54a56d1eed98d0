using FuncAuth.Accounts;

namespace FuncAuth.Mfa;

/// <summary>
/// TOTP on and off for an account whose owner is already authenticated (the API checks the bearer token and the password, the
/// account page the browser session and the password). SKELETON: helper T fills it in; the signatures are the contract the
/// account page (helper B) codes against.
/// </summary>
internal sealed class TotpEnrolment
{
    /// <summary>Whether TOTP is on for the user.</summary>
    public Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>A new pending secret (replacing any earlier pending one; TOTP is not on until confirmed).</summary>
    public Task<TotpSetup> BeginAsync(UserAccount account, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>Turns TOTP on with a current code of the pending secret: the 10 recovery codes, shown once; null when the code is wrong or nothing is pending.</summary>
    public Task<IReadOnlyList<string>?> ConfirmAsync(UserAccount account, string code, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    /// <summary>Turns TOTP off with a current code (the password was checked by the caller); false when the code is wrong or TOTP is off.</summary>
    public Task<bool> DisableAsync(UserAccount account, string code, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}

/// <summary>A pending TOTP secret: base32 <paramref name="Secret"/>, its <c>otpauth://</c> URI and that URI as a QR code in SVG.</summary>
internal sealed record TotpSetup(string Secret, string OtpAuthUri, string QrCodeSvg);
