using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Security;

/// <summary>
/// The security-relevant outcomes FuncAuth logs, in one place, each with a stable event id and name an operator can
/// alert on (OWASP ASVS V7, logging cheat sheet). They carry user and session ids, never a username typed at login (it
/// may be a mistyped password), a password, an access token or a refresh token.
/// </summary>
internal static partial class SecurityEvents
{
    [LoggerMessage(EventId = 4000, EventName = "LoginSucceeded", Level = LogLevel.Information,
        Message = "User {UserId} logged in; session {SessionId} started.")]
    public static partial void LoginSucceeded(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 4001, EventName = "LoginFailed", Level = LogLevel.Information,
        Message = "A login failed: unknown user, wrong password or locked account (one answer for all).")]
    public static partial void LoginFailed(ILogger logger);

    [LoggerMessage(EventId = 4002, EventName = "AccountLocked", Level = LogLevel.Warning,
        Message = "Too many failed password checks: the name is locked for {Duration} (user {UserId}; none when no account has the name).")]
    private static partial void AccountLockedCore(ILogger logger, string userId, TimeSpan duration);

    public static void AccountLocked(ILogger logger, string? userId, TimeSpan duration) => AccountLockedCore(logger, userId ?? "none", duration);

    [LoggerMessage(EventId = 4003, EventName = "LoginRefusedWhileLocked", Level = LogLevel.Information,
        Message = "A password check was refused because the name is locked (user {UserId}; none when no account has the name).")]
    private static partial void LoginRefusedWhileLockedCore(ILogger logger, string userId);

    public static void LoginRefusedWhileLocked(ILogger logger, string? userId) => LoginRefusedWhileLockedCore(logger, userId ?? "none");

    [LoggerMessage(EventId = 4004, EventName = "RefreshTokenReused", Level = LogLevel.Warning,
        Message = "A spent refresh token of user {UserId} was presented again: session {SessionId} has been ended (possible token theft).")]
    public static partial void RefreshTokenReused(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 4005, EventName = "SessionEnded", Level = LogLevel.Information,
        Message = "Session {SessionId} of user {UserId} ended: {Reason}.")]
    public static partial void SessionEnded(ILogger logger, string userId, string sessionId, string reason);

    [LoggerMessage(EventId = 4006, EventName = "LoggedOutEverywhere", Level = LogLevel.Information,
        Message = "User {UserId} logged out everywhere: every session ended, every earlier access token revoked.")]
    public static partial void LoggedOutEverywhere(ILogger logger, string userId);

    [LoggerMessage(EventId = 4007, EventName = "PasswordChanged", Level = LogLevel.Information,
        Message = "User {UserId} changed their password; their other sessions were ended.")]
    public static partial void PasswordChanged(ILogger logger, string userId);

    [LoggerMessage(EventId = 4008, EventName = "PasswordChangeRefused", Level = LogLevel.Warning,
        Message = "A password change for user {UserId} was refused: wrong current password or locked account.")]
    public static partial void PasswordChangeRefused(ILogger logger, string userId);

    [LoggerMessage(EventId = 4009, EventName = "StorageUnavailable", Level = LogLevel.Error,
        Message = "Table Storage is unavailable; answered 503 to {Path}.")]
    public static partial void StorageUnavailable(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 4010, EventName = "ClientThrottled", Level = LogLevel.Warning,
        Message = "A client exceeded the request limit of {Path}; answered 429.")]
    public static partial void ClientThrottled(ILogger logger, PathString path);

    [LoggerMessage(EventId = 4011, EventName = "Registered", Level = LogLevel.Information,
        Message = "Registered user {UserId}.")]
    public static partial void Registered(ILogger logger, string userId);

    [LoggerMessage(EventId = 4012, EventName = "TokenRevoked", Level = LogLevel.Information,
        Message = "An access token of user {UserId} was revoked (RFC 7009).")]
    public static partial void TokenRevoked(ILogger logger, string userId);

    [LoggerMessage(EventId = 4013, EventName = "AccountDeleted", Level = LogLevel.Information,
        Message = "User {UserId} deleted their account; every session ended and every earlier access token revoked.")]
    public static partial void AccountDeleted(ILogger logger, string userId);

    [LoggerMessage(EventId = 4014, EventName = "SignInOvertaken", Level = LogLevel.Warning,
        Message = "A sign-in of user {UserId} was refused: the account changed (password change, deletion or logout everywhere) while its password was checked; session {SessionId} ended.")]
    public static partial void SignInOvertaken(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 4015, EventName = "AccountDeletionRefused", Level = LogLevel.Warning,
        Message = "User {UserId} asked to delete their account with a wrong password (or while locked); nothing was deleted.")]
    public static partial void AccountDeletionRefused(ILogger logger, string userId);

    [LoggerMessage(EventId = 4020, EventName = "EmailSent", Level = LogLevel.Information,
        Message = "Outbox message {MessageId} ({Kind}) was sent, at attempt {Attempt}.")]
    public static partial void EmailSent(ILogger logger, string messageId, string kind, int attempt);

    [LoggerMessage(EventId = 4021, EventName = "EmailDropped", Level = LogLevel.Information,
        Message = "Outbox message {MessageId} ({Kind}) was dropped unsent: there is nothing to send any more (the address or the account is gone).")]
    public static partial void EmailDropped(ILogger logger, string messageId, string kind);

    [LoggerMessage(EventId = 4022, EventName = "EmailSendFailed", Level = LogLevel.Warning,
        Message = "Outbox message {MessageId} ({Kind}) could not be sent at attempt {Attempt} ({Reason}); it is tried again after {NextAttemptAt:O}.")]
    public static partial void EmailSendFailed(ILogger logger, string messageId, string kind, int attempt, string reason, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 4023, EventName = "EmailUndelivered", Level = LogLevel.Critical,
        Message = "Outbox message {MessageId} ({Kind}) has not been delivered within {Deadline} of being queued ({Attempts} failed attempts, the last: " +
            "{Reason}). It keeps being retried; check the SMTP relay (FuncAuth:Email:Smtp). Reported once per message.")]
    public static partial void EmailUndelivered(ILogger logger, string messageId, string kind, TimeSpan deadline, int attempts, string reason);

    [LoggerMessage(EventId = 4024, EventName = "EmailUnreadable", Level = LogLevel.Error,
        Message = "Outbox message {MessageId} ({Kind}) was removed unsent: its recipient or data cannot be read (it was not written by FuncAuth).")]
    public static partial void EmailUnreadable(ILogger logger, string messageId, string kind);

    // 4030–4039: email addresses on accounts.
    [LoggerMessage(EventId = 4030, EventName = "SignInRefusedEmailNotConfirmed", Level = LogLevel.Information,
        Message = "A sign-in of user {UserId} with the right password was refused: the account's email address is missing or not confirmed (FuncAuth:Accounts:RequireConfirmedEmail); no session was started.")]
    public static partial void SignInRefusedEmailNotConfirmed(ILogger logger, string userId);

    [LoggerMessage(EventId = 4031, EventName = "EmailClaimTakenOver", Level = LogLevel.Warning,
        Message = "A stale claim of an email address by user {FormerUserId} (no account of theirs holds it) was taken over by user {UserId}.")]
    public static partial void EmailClaimTakenOver(ILogger logger, string formerUserId, string userId);

    [LoggerMessage(EventId = 4032, EventName = "RegistrationRefusedEmailTaken", Level = LogLevel.Information,
        Message = "A registration was refused: its email address belongs to another account.")]
    public static partial void RegistrationRefusedEmailTaken(ILogger logger);

    [LoggerMessage(EventId = 4040, EventName = "EmailConfirmed", Level = LogLevel.Information,
        Message = "User {UserId} confirmed their email address.")]
    public static partial void EmailConfirmed(ILogger logger, string userId);

    [LoggerMessage(EventId = 4041, EventName = "EmailChanged", Level = LogLevel.Information,
        Message = "User {UserId} changed their email address (the new one confirmed).")]
    public static partial void EmailChanged(ILogger logger, string userId);

    [LoggerMessage(EventId = 4042, EventName = "EmailChangeRequested", Level = LogLevel.Information,
        Message = "User {UserId} asked to change their email address; a confirmation was sent to the new one.")]
    public static partial void EmailChangeRequested(ILogger logger, string userId);

    [LoggerMessage(EventId = 4043, EventName = "OneTimeTokenRefused", Level = LogLevel.Warning,
        Message = "A {Purpose} token was refused: unknown, spent, expired or voided.")]
    public static partial void OneTimeTokenRefused(ILogger logger, string purpose);

    [LoggerMessage(EventId = 4044, EventName = "PasswordReset", Level = LogLevel.Information,
        Message = "User {UserId} reset their password with a link; every session was ended and the name's lockout cleared.")]
    public static partial void PasswordReset(ILogger logger, string userId);

    [LoggerMessage(EventId = 4045, EventName = "NoticeNotQueued", Level = LogLevel.Error,
        Message = "A {Kind} notice to user {UserId} could not be written to the outbox; what it reports stands.")]
    public static partial void NoticeNotQueued(ILogger logger, string kind, string userId, Exception exception);

    [LoggerMessage(EventId = 4046, EventName = "EmailChangeRefused", Level = LogLevel.Warning,
        Message = "User {UserId} asked to change their email address with a wrong password.")]
    public static partial void EmailChangeRefused(ILogger logger, string userId);

    // 4050–4059: the pages FuncAuth serves (confirm-email, reset-password).
    [LoggerMessage(EventId = 4050, EventName = "CrossSitePageSubmissionRefused", Level = LogLevel.Warning,
        Message = "A browser posted the form of {Page} from another site (Sec-Fetch-Site: cross-site); refused with 403.")]
    public static partial void CrossSitePageSubmissionRefused(ILogger logger, string page);

    // 4060–4069: registered clients and the authorization endpoint.
    [LoggerMessage(EventId = 4060, EventName = "ClientAuthenticationFailed", Level = LogLevel.Warning,
        Message = "A request to the token endpoint failed to authenticate as client {ClientId}: {Reason}.")]
    public static partial void ClientAuthenticationFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 4061, EventName = "AuthorizationRedirectRefused", Level = LogLevel.Warning,
        Message = "An authorization request for client {ClientId} named a redirect URI that is not registered; an error page was shown and nothing was redirected.")]
    public static partial void AuthorizationRedirectRefused(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4062, EventName = "AuthorizationCodeIssued", Level = LogLevel.Information,
        Message = "User {UserId} authorized client {ClientId} from browser session {SessionId}; an authorization code was issued.")]
    public static partial void AuthorizationCodeIssued(ILogger logger, string userId, string clientId, string sessionId);

    // 4070–4079: authorization codes, the authorization_code grant and client sessions.
    [LoggerMessage(EventId = 4070, EventName = "AuthorizationCodeReused", Level = LogLevel.Warning,
        Message = "An authorization code of user {UserId} was presented again: session {SessionId}, which its first use started, has been ended (possible code theft).")]
    public static partial void AuthorizationCodeReused(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 4071, EventName = "AuthorizationCodeRefused", Level = LogLevel.Warning,
        Message = "Client {ClientId} presented an authorization code that was refused: {Reason}.")]
    public static partial void AuthorizationCodeRefused(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 4072, EventName = "ClientSessionStarted", Level = LogLevel.Information,
        Message = "User {UserId}: client {ClientId} redeemed an authorization code; session {SessionId} started.")]
    public static partial void ClientSessionStarted(ILogger logger, string userId, string clientId, string sessionId);
    // 4080–4089: single sign-on (browser sessions, the hosted sign-in pages, end-session).
    [LoggerMessage(EventId = 4080, EventName = "PageFormForgeryRefused", Level = LogLevel.Warning,
        Message = "The form of {Page} was posted without a valid anti-forgery token (missing or mismatched cookie or field); refused with 403.")]
    public static partial void PageFormForgeryRefused(ILogger logger, string page);

    [LoggerMessage(EventId = 4081, EventName = "BrowserSignedIn", Level = LogLevel.Information,
        Message = "User {UserId} signed in on the hosted page; browser session {SessionId} started and bound to the cookie.")]
    public static partial void BrowserSignedIn(ILogger logger, string userId, string sessionId);

    [LoggerMessage(EventId = 4082, EventName = "BrowserSessionEnded", Level = LogLevel.Information,
        Message = "Browser session {SessionId} of user {UserId} was signed out, with {ClientSessions} client sessions started from it.")]
    public static partial void BrowserSessionEnded(ILogger logger, string userId, string sessionId, int clientSessions);

    [LoggerMessage(EventId = 4083, EventName = "PostLogoutRedirectRefused", Level = LogLevel.Warning,
        Message = "end-session was asked to redirect to a post_logout_redirect_uri not registered for client {ClientId}; an error page was shown instead.")]
    public static partial void PostLogoutRedirectRefused(ILogger logger, string clientId);

    [LoggerMessage(EventId = 4084, EventName = "IdTokenHintRefused", Level = LogLevel.Warning,
        Message = "end-session received an id_token_hint that is not an ID token of this issuer, or one for another client; refused.")]
    public static partial void IdTokenHintRefused(ILogger logger);

    [LoggerMessage(EventId = 4085, EventName = "AuthorizeQueryRefused", Level = LogLevel.Warning,
        Message = "A sign-in page was sent an authorize field that is not a plain query string; it was not followed.")]
    public static partial void AuthorizeQueryRefused(ILogger logger);

    // 4090–4099: the second factor (TOTP and recovery codes). Never a secret, a code or an mfa token.
    [LoggerMessage(EventId = 4090, EventName = "TotpEnabled", Level = LogLevel.Information,
        Message = "User {UserId} turned TOTP on; {RecoveryCodes} recovery codes were issued.")]
    public static partial void TotpEnabled(ILogger logger, string userId, int recoveryCodes);

    [LoggerMessage(EventId = 4091, EventName = "TotpDisabled", Level = LogLevel.Information,
        Message = "User {UserId} turned TOTP off; its recovery codes were removed.")]
    public static partial void TotpDisabled(ILogger logger, string userId);

    [LoggerMessage(EventId = 4092, EventName = "TotpChangeRefused", Level = LogLevel.Warning,
        Message = "User {UserId} was refused a TOTP change ({Step}): {Reason}.")]
    public static partial void TotpChangeRefused(ILogger logger, string userId, string step, string reason);

    [LoggerMessage(EventId = 4093, EventName = "SecondFactorFailed", Level = LogLevel.Warning,
        Message = "A second factor for user {UserId} was refused: {Reason}.")]
    public static partial void SecondFactorFailed(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 4094, EventName = "TotpCodeReplayRefused", Level = LogLevel.Warning,
        Message = "A TOTP code of user {UserId} for a time step already used (or an earlier one) was refused: a replay, or a racing request.")]
    public static partial void TotpCodeReplayRefused(ILogger logger, string userId);

    [LoggerMessage(EventId = 4095, EventName = "RecoveryCodeUsed", Level = LogLevel.Warning,
        Message = "User {UserId} signed in with a recovery code; {Remaining} left.")]
    public static partial void RecoveryCodeUsed(ILogger logger, string userId, int remaining);

    [LoggerMessage(EventId = 4096, EventName = "MfaTokenInvalid", Level = LogLevel.Information,
        Message = "A second step was refused: its mfa_token is unknown, spent, expired, for another kind of session, or its account changed ({Reason}).")]
    public static partial void MfaTokenInvalid(ILogger logger, string reason);

    [LoggerMessage(EventId = 4097, EventName = "TotpSecretUnreadable", Level = LogLevel.Error,
        Message = "The TOTP secret of user {UserId} cannot be decrypted with any configured key (FuncAuth:Mfa:EncryptionKey, PreviousEncryptionKeys): no code can match it; the user needs a recovery code.")]
    public static partial void TotpSecretUnreadable(ILogger logger, string userId);

    [LoggerMessage(EventId = 4098, EventName = "MfaRequired", Level = LogLevel.Information,
        Message = "User {UserId} gave the right password; the second factor is required to finish signing in.")]
    public static partial void MfaRequired(ILogger logger, string userId);

    // 4100–4109: passkeys (WebAuthn).
    [LoggerMessage(EventId = 4100, EventName = "PasskeySignInRefused", Level = LogLevel.Warning,
        Message = "A passkey sign-in was refused: {Reason}.")]
    public static partial void PasskeySignInRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4101, EventName = "PasskeyCounterWentBack", Level = LogLevel.Error,
        Message = "A passkey of user {UserId} signed with a signature counter that did not increase: possible cloned authenticator. The sign-in was refused.")]
    public static partial void PasskeyCounterWentBack(ILogger logger, string userId);

    [LoggerMessage(EventId = 4102, EventName = "PasskeyRegistered", Level = LogLevel.Information,
        Message = "User {UserId} registered a passkey (backup eligible: {BackupEligible}).")]
    public static partial void PasskeyRegistered(ILogger logger, string userId, bool backupEligible);

    [LoggerMessage(EventId = 4103, EventName = "PasskeyRegistrationRefused", Level = LogLevel.Warning,
        Message = "A passkey registration of user {UserId} was refused: {Reason}")]
    public static partial void PasskeyRegistrationRefused(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 4104, EventName = "PasskeyRemoved", Level = LogLevel.Information,
        Message = "User {UserId} removed a passkey.")]
    public static partial void PasskeyRemoved(ILogger logger, string userId);

    // 4110–4119: the hosted pages' second step, passkey button and account page.
    [LoggerMessage(EventId = 4111, EventName = "PagePasskeySignInFailed", Level = LogLevel.Warning,
        Message = "The hosted page's passkey form was posted without an assertion (or one too long to be a browser's); the sign-in form was shown again.")]
    public static partial void PagePasskeySignInFailed(ILogger logger);

    [LoggerMessage(EventId = 4112, EventName = "AccountPagePasswordRefused", Level = LogLevel.Warning,
        Message = "User {UserId} asked the account page to {Action} with a wrong password (counted toward lockout); nothing was changed.")]
    public static partial void AccountPagePasswordRefused(ILogger logger, string userId, string action);

    [LoggerMessage(EventId = 4113, EventName = "AccountPageChanged", Level = LogLevel.Information,
        Message = "User {UserId} changed their sign-in methods on the account page: {Action} (browser session {SessionId}).")]
    public static partial void AccountPageChanged(ILogger logger, string userId, string action, string sessionId);

    [LoggerMessage(EventId = 4114, EventName = "AccountPageChangeRefused", Level = LogLevel.Information,
        Message = "User {UserId}'s {Action} on the account page was refused after the right password: {Reason}.")]
    public static partial void AccountPageChangeRefused(ILogger logger, string userId, string action, string reason);

    // 4135–4139: service clients (the client credentials grant). A wrong secret is 4060 ClientAuthenticationFailed.
    [LoggerMessage(EventId = 4135, EventName = "ClientTokenIssued", Level = LogLevel.Information,
        Message = "Client {ClientId} got an access token for itself (client credentials grant) with scope \"{Scope}\".")]
    public static partial void ClientTokenIssued(ILogger logger, string clientId, string scope);

    [LoggerMessage(EventId = 4136, EventName = "ClientCredentialsRefused", Level = LogLevel.Warning,
        Message = "A client credentials grant for client {ClientId} was refused: {Reason}.")]
    public static partial void ClientCredentialsRefused(ILogger logger, string clientId, string reason);

    // 4120–4124: disabled accounts and the first administrators (FuncAuth:Admin:BootstrapUsernames).
    [LoggerMessage(EventId = 4120, EventName = "SignInRefusedAccountDisabled", Level = LogLevel.Warning,
        Message = "A sign-in or refresh of user {UserId}, who proved who they are, was refused: the account is disabled; no session was started or kept.")]
    public static partial void SignInRefusedAccountDisabled(ILogger logger, string userId);

    [LoggerMessage(EventId = 4121, EventName = "AdminRoleBootstrapped", Level = LogLevel.Warning,
        Message = "User {UserId} was given the role {Role} at start-up because FuncAuth:Admin:BootstrapUsernames names the account.")]
    public static partial void AdminRoleBootstrapped(ILogger logger, string userId, string role);

    [LoggerMessage(EventId = 4122, EventName = "AdminBootstrapAccountMissing", Level = LogLevel.Warning,
        Message = "FuncAuth:Admin:BootstrapUsernames names {Username}, but no account has that name (yet); nothing was granted. Register it and restart.")]
    public static partial void AdminBootstrapAccountMissing(ILogger logger, string username);

    [LoggerMessage(EventId = 4123, EventName = "AdminBootstrapDelayed", Level = LogLevel.Warning,
        Message = "The start-up grant of the administrator role could not reach storage (attempt {Attempt}); retrying in {Delay}.")]
    public static partial void AdminBootstrapDelayed(ILogger logger, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 4124, EventName = "AdminBootstrapNotDone", Level = LogLevel.Error,
        Message = "The start-up grant of the administrator role was not completed: {Reason}. FuncAuth runs on; the next start tries again.")]
    public static partial void AdminBootstrapNotDone(ILogger logger, string reason);

    // 4125–4134: the admin API. {Admin} is the administrator's user id, or client:<client_id> for a service client.
    [LoggerMessage(EventId = 4125, EventName = "AdminUsersListed", Level = LogLevel.Information,
        Message = "Administrator {Admin} listed users (a page of {Count}).")]
    public static partial void AdminUsersListed(ILogger logger, string admin, int count);

    [LoggerMessage(EventId = 4126, EventName = "AdminUserRead", Level = LogLevel.Information,
        Message = "Administrator {Admin} read user {UserId}.")]
    public static partial void AdminUserRead(ILogger logger, string admin, string userId);

    [LoggerMessage(EventId = 4127, EventName = "AdminUserUpdated", Level = LogLevel.Information,
        Message = "Administrator {Admin} changed user {UserId}: roles [{Roles}], disabled {Disabled}.")]
    public static partial void AdminUserUpdated(ILogger logger, string admin, string userId, string roles, bool disabled);

    [LoggerMessage(EventId = 4128, EventName = "AdminUserDeleted", Level = LogLevel.Warning,
        Message = "Administrator {Admin} deleted user {UserId}: every session ended, every earlier access token revoked.")]
    public static partial void AdminUserDeleted(ILogger logger, string admin, string userId);

    [LoggerMessage(EventId = 4129, EventName = "AdminUserSignedOut", Level = LogLevel.Information,
        Message = "Administrator {Admin} signed user {UserId} out everywhere: every session ended, every earlier access token revoked.")]
    public static partial void AdminUserSignedOut(ILogger logger, string admin, string userId);

    [LoggerMessage(EventId = 4130, EventName = "AdminUserUnlocked", Level = LogLevel.Information,
        Message = "Administrator {Admin} cleared the lockout of user {UserId}.")]
    public static partial void AdminUserUnlocked(ILogger logger, string admin, string userId);

    [LoggerMessage(EventId = 4131, EventName = "AdminAccessRefused", Level = LogLevel.Warning,
        Message = "A request to the admin API by {Caller} was refused (403): {Reason}")]
    public static partial void AdminAccessRefused(ILogger logger, string caller, string reason);

    [LoggerMessage(EventId = 4132, EventName = "AdminChangeRefused", Level = LogLevel.Warning,
        Message = "Administrator {Admin}'s {Action} of user {UserId} was refused: {Reason}")]
    public static partial void AdminChangeRefused(ILogger logger, string admin, string action, string userId, string reason);

    [LoggerMessage(EventId = 4133, EventName = "SignInNotRecorded", Level = LogLevel.Warning,
        Message = "User {UserId} signed in (session {SessionId}), but the time of the sign-in could not be recorded: storage failed.")]
    public static partial void SignInNotRecorded(ILogger logger, string userId, string sessionId, Exception exception);

    // 4140–4149: importing users.
    [LoggerMessage(EventId = 4140, EventName = "UsersImported", Level = LogLevel.Information,
        Message = "{Caller} imported users: {Lines} lines, {Created} created, {Existing} already existed, {Refused} refused.")]
    public static partial void UsersImported(ILogger logger, string caller, long lines, long created, long existing, long refused);

    [LoggerMessage(EventId = 4141, EventName = "UserImportStopped", Level = LogLevel.Warning,
        Message = "An import by {Caller} stopped at line {Line}: the user store became unavailable.")]
    public static partial void UserImportStopped(ILogger logger, string caller, long line);
}
