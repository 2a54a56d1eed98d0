using FuncAuth.Email;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Accounts;

/// <summary>
/// The last step of every sign-in, however the user proved who they are (a password, a password and a second factor, a
/// passkey): the session, a second look at the account, the security events and the sign-in notice. One place, so every
/// way in keeps the same promise about a password change or deletion racing it.
/// </summary>
internal sealed class SignInCompletion(UserStore users, SessionService sessions, AccountMail mail, TimeProvider time, ILogger<SignInCompletion> logger)
{
    /// <summary>
    /// Starts a session of <paramref name="kind"/> (<see cref="SessionKind.Direct"/> or <see cref="SessionKind.Browser"/>) for
    /// <paramref name="account"/>, as read when the user proved who they are, recording <paramref name="methods"/> (RFC 8176
    /// <c>amr</c>). Fails when the account was deleted, renamed or had its security stamp rotated in the meantime;
    /// answers <see cref="SignInOutcome.AccountDisabled"/> when it is disabled, or was disabled in the meantime. Not under
    /// the request's cancellation: a client that hangs up must not leave a half-made session behind the stamp check.
    /// </summary>
    public async Task<SignInResult> CompleteAsync(UserAccount account, IReadOnlyList<string> methods, SessionKind kind)
    {
        if (kind is not (SessionKind.Direct or SessionKind.Browser))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A sign-in starts a direct or a browser session.");
        }

        // A disabled account (as read when the user proved who they are) gets no session at all.
        if (account.Disabled)
        {
            SecurityEvents.SignInRefusedAccountDisabled(logger, account.Id);
            return SignInResult.AccountDisabled;
        }

        // The session first, recording the stamp the account was read with; then the account read again. A password
        // change, deletion or logout everywhere rotates the stamp before it lists the sessions to end: either its sweep
        // sees this session, or this read sees the new stamp. No session survives the change either way.
        var signIn = kind == SessionKind.Browser
            ? await sessions.StartBrowserAsync(account, methods, CancellationToken.None)
            : await sessions.StartAsync(account, methods, CancellationToken.None);
        var now = await users.FindByKeyAsync(account.Key, CancellationToken.None);

        // Disabled since the account was read (a disable racing this sign-in; disabling also rotates the stamp, so the check
        // below would refuse too, but without saying why): either the administrator's sweep of sessions sees this one, or
        // this read sees the switch. No session survives either way.
        if (now is { Disabled: true } && now.Id == account.Id)
        {
            await sessions.EndStartedAsync(signIn.Session);
            SecurityEvents.SignInRefusedAccountDisabled(logger, account.Id);
            return SignInResult.AccountDisabled;
        }

        if (now is null || now.Id != account.Id || !string.Equals(now.SecurityStamp, account.SecurityStamp, StringComparison.Ordinal))
        {
            await sessions.EndStartedAsync(signIn.Session);
            SecurityEvents.SignInOvertaken(logger, account.Id, signIn.Session.Id);
            SecurityEvents.LoginFailed(logger);
            return SignInResult.Failed;
        }

        SecurityEvents.LoginSucceeded(logger, account.Id, signIn.Session.Id);
        await RecordSignInAsync(now, signIn.Session.Id);
        await mail.NotifyAsync(OutboxKinds.SignInNotice, now);
        return SignInResult.Succeeded(signIn);
    }

    /// <summary>
    /// The last sign-in the admin API shows, in its own row (see <see cref="UserStore.RecordSignInAsync"/>). A sign-in that
    /// has succeeded is not failed for want of it: a storage fault here is logged and the sign-in goes on.
    /// </summary>
    private async Task RecordSignInAsync(UserAccount account, string sessionId)
    {
        try
        {
            await users.RecordSignInAsync(account, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Storage.StorageUnavailableException e)
        {
            SecurityEvents.SignInNotRecorded(logger, account.Id, sessionId, e);
        }
    }
}
