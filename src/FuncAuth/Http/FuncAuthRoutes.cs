namespace FuncAuth.Http;

/// <summary>
/// The HTTP routes of FuncAuth, spelled in full: the one list of them. Both hosts (Azure Functions and
/// Kestrel) use these constants so their routes cannot drift; they are <c>const</c> so they can appear in
/// attributes. The <c>.well-known</c> documents sit at the site root (RFC 8615), where verifiers look.
/// </summary>
public static class FuncAuthRoutes
{
    public const string Register = "api/auth/register";
    public const string Login = "api/auth/login";
    public const string Verify = "api/auth/verify";
    public const string Logout = "api/auth/logout";
    public const string Token = "api/auth/token";
    public const string Revoke = "api/auth/revoke";
    public const string Sessions = "api/auth/sessions";
    public const string Session = "api/auth/sessions/{id}";
    public const string Password = "api/auth/password";
    public const string Account = "api/auth/account";
    public const string Email = "api/auth/email";
    public const string ConfirmEmail = "api/auth/email/confirm";
    public const string ResendConfirmation = "api/auth/email/resend";
    public const string ForgotPassword = "api/auth/password/forgot";
    public const string ResetPassword = "api/auth/password/reset";
    public const string Authorize = "api/auth/authorize";
    public const string UserInfo = "api/auth/userinfo";
    public const string EndSession = "api/auth/end-session";
    public const string LoginSecondFactor = "api/auth/login/mfa";
    public const string Totp = "api/auth/mfa/totp";
    public const string TotpConfirmation = "api/auth/mfa/totp/confirm";
    public const string PasskeyRegistrationOptions = "api/auth/passkeys/options";
    public const string Passkeys = "api/auth/passkeys";
    public const string Passkey = "api/auth/passkeys/{id}";
    public const string PasskeyLoginOptions = "api/auth/passkeys/login/options";
    public const string PasskeyLogin = "api/auth/passkeys/login";
    public const string AdminUsers = "api/admin/users";
    public const string AdminUser = "api/admin/users/{id}";
    public const string AdminUserSessions = "api/admin/users/{id}/sessions";
    public const string AdminUserUnlock = "api/admin/users/{id}/unlock";
    public const string AdminUserImport = "api/admin/users/import";
    public const string Health = "api/health";
    public const string JsonWebKeySet = ".well-known/jwks.json";
    public const string OpenIdConfiguration = ".well-known/openid-configuration";
    public const string AuthorizationServerMetadata = ".well-known/oauth-authorization-server";
    public const string OpenApi = "api/openapi.json";

    // Pages FuncAuth serves itself (server-rendered HTML), outside the api/ prefix.
    public const string ConfirmEmailPage = "auth/confirm-email";
    public const string ResetPasswordPage = "auth/reset-password";
    public const string LoginPage = "auth/login";
    public const string RegisterPage = "auth/register";
    public const string ForgotPasswordPage = "auth/forgot-password";
    public const string SecondFactorPage = "auth/login/mfa";
    public const string PasskeyLoginPage = "auth/login/passkey";
    public const string AccountPage = "auth/account";
    public const string PageStylesheet = "auth/assets/funcauth.css";
    public const string PageScript = "auth/assets/funcauth.js";
}
