using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Sessions;

namespace FuncAuth.Mfa;

/// <summary>
/// The <c>mfa_token</c> a password step answers when a second factor is on: a <see cref="OneTimeTokens"/> token (256 random
/// bits, only its SHA-256 stored, spent by an ETag-conditional delete, purged hourly with the others once expired), valid
/// for 5 minutes, recording the account (key, id), its security stamp as the password proved it, and the kind of session it
/// may start (the purpose: <see cref="OneTimeTokenPurpose.MfaSignIn"/> or <see cref="OneTimeTokenPurpose.MfaBrowserSignIn"/>).
/// </summary>
internal sealed class MfaTokens(OneTimeTokens tokens)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Not under the request's cancellation: the password step it follows has been counted already.</summary>
    public Task<string> MintAsync(UserAccount account, SessionKind kind) =>
        tokens.MintAsync(PurposeOf(kind), account.Key, account.Id, address: null, account.SecurityStamp, Lifetime, CancellationToken.None);

    /// <summary>The live token for a session of <paramref name="kind"/>, or null (malformed, unknown, spent, expired, another kind).</summary>
    public async Task<OneTimeToken?> FindAsync(string? token, SessionKind kind, CancellationToken cancellationToken) =>
        await tokens.FindAsync(token, cancellationToken) is { } found && found.Purpose == PurposeOf(kind) ? found : null;

    /// <summary>True for exactly one of any number of racing completions.</summary>
    public Task<bool> TrySpendAsync(OneTimeToken token) => tokens.TrySpendAsync(token, CancellationToken.None);

    private static OneTimeTokenPurpose PurposeOf(SessionKind kind) => kind switch
    {
        SessionKind.Direct => OneTimeTokenPurpose.MfaSignIn,
        SessionKind.Browser => OneTimeTokenPurpose.MfaBrowserSignIn,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A second step completes a direct or a browser sign-in."),
    };
}
