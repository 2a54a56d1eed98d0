using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QRCoder;

namespace FuncAuth.Mfa;

/// <summary>What confirming a pending secret came to.</summary>
internal enum TotpConfirmation
{
    Enabled,

    /// <summary>The code is not one of the pending secret's, within a step of now.</summary>
    WrongCode,

    /// <summary>No pending secret: enrolment was never begun, or was confirmed already.</summary>
    NothingPending,

    /// <summary>TOTP is on already (a racing confirmation won, or it was on before).</summary>
    AlreadyEnabled,
}

/// <summary>What turning TOTP off came to.</summary>
internal enum TotpDisabling
{
    Disabled,

    /// <summary>A wrong, replayed or out-of-window code, a spent recovery code, or a locked name.</summary>
    WrongCode,

    NotEnabled,
}

/// <summary>
/// TOTP on and off for an account whose owner is already authenticated (the API checks the bearer token and the password, the
/// account page the browser session and the password). A secret is pending (shown once, not yet trusted) until a code of it
/// proves the owner's app has it; only then is TOTP on, with 10 recovery codes shown once.
/// </summary>
internal sealed class TotpEnrolment(
    TotpStore totp, SecondFactorCheck factors, EncryptionKeyRing keys, IOptions<EmailOptions> email, TimeProvider time, ILogger<TotpEnrolment> logger)
{
    /// <summary>Whether TOTP can be turned on at all on this deployment (an encryption key is configured, or this is Development).</summary>
    public bool IsAvailable => keys.IsConfigured;

    /// <summary>Whether TOTP is on for the user.</summary>
    public Task<bool> IsEnabledAsync(string userId, CancellationToken cancellationToken) => totp.IsEnabledAsync(userId, cancellationToken);

    /// <summary>A new pending secret (replacing any earlier pending one; TOTP is not on until confirmed).</summary>
    public async Task<TotpSetup> BeginAsync(UserAccount account, CancellationToken cancellationToken)
    {
        var secret = TotpSecrets.NewSecret();
        await totp.SavePendingAsync(account.Id, secret, time.GetUtcNow(), cancellationToken);

        // The label an authenticator app shows: the product's name (as mail calls it) and the username.
        var uri = TotpSecrets.OtpAuthUri(secret, email.Value.ProductName, account.Username);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return new TotpSetup(TotpSecrets.Base32(secret), uri, svg.GetGraphic(4));
    }

    /// <summary>Turns TOTP on with a current code of the pending secret: the 10 recovery codes, shown once; null when the code is wrong or nothing is pending.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(UserAccount account, string code, CancellationToken cancellationToken) =>
        await TryConfirmAsync(account, code, cancellationToken) is (TotpConfirmation.Enabled, { } codes) ? codes : null;

    /// <summary>As <see cref="ConfirmAsync"/>, saying why when TOTP was not turned on.</summary>
    public async Task<(TotpConfirmation Outcome, IReadOnlyList<string>? RecoveryCodes)> TryConfirmAsync(UserAccount account, string code, CancellationToken cancellationToken)
    {
        if (await totp.IsEnabledAsync(account.Id, cancellationToken))
        {
            return (TotpConfirmation.AlreadyEnabled, null);
        }

        if (await totp.FindAsync(account.Id, TotpStore.PendingRow, cancellationToken) is not { } pending)
        {
            return (TotpConfirmation.NothingPending, null);
        }

        var now = time.GetUtcNow();
        if (pending.Secret.Length == 0 || TotpSecrets.MatchingStep(pending.Secret, TotpSecrets.Normalize(code), now) is not { } step)
        {
            SecurityEvents.TotpChangeRefused(logger, account.Id, "confirm", "wrong code");
            return (TotpConfirmation.WrongCode, null);
        }

        var (codes, rows) = RecoveryCodes.Generate(account.Id, now);
        if (!await totp.TryEnableAsync(pending, step, rows, now, cancellationToken))
        {
            // Another confirmation committed first (or a new enrolment replaced the pending secret): say what holds now.
            return (await totp.IsEnabledAsync(account.Id, cancellationToken) ? TotpConfirmation.AlreadyEnabled : TotpConfirmation.NothingPending, null);
        }

        SecurityEvents.TotpEnabled(logger, account.Id, codes.Count);
        return (TotpConfirmation.Enabled, codes);
    }

    /// <summary>Turns TOTP off with a current code (the password was checked by the caller); false when the code is wrong or TOTP is off.</summary>
    public async Task<bool> DisableAsync(UserAccount account, string code, CancellationToken cancellationToken) =>
        await TryDisableAsync(account, code, cancellationToken) == TotpDisabling.Disabled;

    /// <summary>
    /// As <see cref="DisableAsync"/>, saying why when it was not turned off. <paramref name="code"/> is a current TOTP code or,
    /// for an owner who lost their app, one of the recovery codes (spent by it). Either is checked as the second step of a
    /// sign-in is: counted by the lockout, a TOTP code accepted once.
    /// </summary>
    public async Task<TotpDisabling> TryDisableAsync(UserAccount account, string code, CancellationToken cancellationToken)
    {
        var normalized = TotpSecrets.Normalize(code);
        var isTotp = TotpSecrets.IsWellFormed(normalized);
        var verdict = await factors.CheckAsync(
            account, isTotp ? normalized : null, isTotp ? null : RecoveryCodes.Normalize(code) ?? string.Empty, cancellationToken);
        switch (verdict)
        {
            case FactorVerdict.NotEnabled:
                return TotpDisabling.NotEnabled;
            case FactorVerdict.Wrong:
                SecurityEvents.TotpChangeRefused(logger, account.Id, "disable", "wrong code");
                return TotpDisabling.WrongCode;
        }

        await totp.RemoveAllAsync(account.Id, CancellationToken.None);
        SecurityEvents.TotpDisabled(logger, account.Id);
        return TotpDisabling.Disabled;
    }
}

/// <summary>A pending TOTP secret: base32 <paramref name="Secret"/>, its <c>otpauth://</c> URI and that URI as a QR code in SVG.</summary>
internal sealed record TotpSetup(string Secret, string OtpAuthUri, string QrCodeSvg);
