namespace FuncAuth.Http;

/// <summary>
/// The name of every FuncAuth endpoint: its OpenAPI operation id, and the <c>[Function]</c> name the Functions app gives
/// it. <c>const</c>, so the Functions adapter can use them in attributes; <see cref="FuncAuthRoutes"/> has the routes.
/// </summary>
public static class FuncAuthEndpointNames
{
    public const string Register = "register";
    public const string Login = "login";
    public const string ChangePassword = "changePassword";
    public const string DeleteAccount = "deleteAccount";
    public const string GetAccount = "getAccount";
    public const string ChangeEmail = "changeEmail";
    public const string ConfirmEmail = "confirmEmail";
    public const string ResendConfirmation = "resendConfirmationEmail";
    public const string ForgotPassword = "forgotPassword";
    public const string ResetPassword = "resetPassword";
    public const string ConfirmEmailPage = "confirmEmailPage";
    public const string ConfirmEmailPageSubmit = "confirmEmailPageSubmit";
    public const string ResetPasswordPage = "resetPasswordPage";
    public const string ResetPasswordPageSubmit = "resetPasswordPageSubmit";
    public const string LoginPage = "loginPage";
    public const string LoginPageSubmit = "loginPageSubmit";
    public const string RegisterPage = "registerPage";
    public const string RegisterPageSubmit = "registerPageSubmit";
    public const string ForgotPasswordPage = "forgotPasswordPage";
    public const string ForgotPasswordPageSubmit = "forgotPasswordPageSubmit";
    public const string SecondFactorPageSubmit = "secondFactorPageSubmit";
    public const string PasskeyLoginPageSubmit = "passkeyLoginPageSubmit";
    public const string AccountPage = "accountPage";
    public const string AccountPageSubmit = "accountPageSubmit";
    public const string PageStylesheet = "pageStylesheet";
    public const string PageScript = "pageScript";
    public const string Token = "token";
    public const string Revoke = "revoke";
    public const string Verify = "verify";
    public const string Logout = "logout";
    public const string ListSessions = "listSessions";
    public const string EndSession = "endSession";
    public const string Authorize = "authorize";
    public const string UserInfo = "userinfo";
    public const string UserInfoPost = "userinfoPost";
    public const string SignOut = "signOut";
    public const string SignOutSubmit = "signOutSubmit";
    public const string LoginSecondFactor = "loginSecondFactor";
    public const string EnrolTotp = "enrolTotp";
    public const string ConfirmTotp = "confirmTotp";
    public const string DisableTotp = "disableTotp";
    public const string PasskeyRegistrationOptions = "passkeyRegistrationOptions";
    public const string RegisterPasskey = "registerPasskey";
    public const string ListPasskeys = "listPasskeys";
    public const string DeletePasskey = "deletePasskey";
    public const string PasskeyLoginOptions = "passkeyLoginOptions";
    public const string PasskeyLogin = "passkeyLogin";
    public const string ListUsers = "listUsers";
    public const string GetUser = "getUser";
    public const string UpdateUser = "updateUser";
    public const string DeleteUser = "deleteUser";
    public const string EndUserSessions = "endUserSessions";
    public const string UnlockUser = "unlockUser";
    public const string ImportUsers = "importUsers";
    public const string JsonWebKeySet = "jwks";
    public const string OpenIdConfiguration = "openid-configuration";
    public const string AuthorizationServerMetadata = "oauth-authorization-server";
    public const string Health = "health";
    public const string OpenApi = "openapi";
}
