using FuncAuth.Admin;
using FuncAuth.Authorization;
using FuncAuth.Import;
using FuncAuth.Mfa;
using FuncAuth.OpenIdConnect;
using FuncAuth.Pages;
using FuncAuth.Passkeys;
using FuncAuth.SingleSignOn;

namespace FuncAuth.Http.Pipeline;

/// <summary>Every FuncAuth endpoint, capability by capability: what both hosts serve and the OpenAPI document describes.</summary>
internal static class FuncAuthEndpoints
{
    public static IReadOnlyList<FuncAuthEndpoint> All { get; } =
    [
        .. AccountEndpoints.Declarations,
        .. EmailEndpoints.Declarations,
        .. PasswordRecoveryEndpoints.Declarations,
        .. VerifyEndpoints.Declarations,
        .. OAuthEndpoints.Declarations,
        .. SessionEndpoints.Declarations,
        .. DiscoveryEndpoints.Declarations,
        .. HealthEndpoints.Declarations,
        .. OpenApiEndpoints.Declarations,
        .. PageEndpoints.Declarations,
        .. AuthorizationEndpoints.Declarations,
        .. UserInfoEndpoints.Declarations,
        .. SignOutEndpoints.Declarations,
        .. SignInPageEndpoints.Declarations,
        .. TotpEndpoints.Declarations,
        .. PasskeyEndpoints.Declarations,
        .. SignInStepPageEndpoints.Declarations,
        .. AccountPageEndpoints.Declarations,
        .. AdminUserEndpoints.Declarations,
        .. UserImportEndpoints.Declarations,
    ];
}
