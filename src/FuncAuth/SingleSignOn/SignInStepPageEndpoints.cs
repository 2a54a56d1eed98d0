using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The hosted sign-in's other ways through: the second step after the password (<c>auth/login/mfa</c>: a TOTP code or a
/// recovery code) and the passkey button's assertion (<c>auth/login/passkey</c>). Each ends as the password form does: a
/// browser session, its cookie, and the way back to authorize. SKELETON: helper B fills it in.
/// </summary>
internal sealed class SignInStepPageEndpoints
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.SecondFactorPageSubmit, FuncAuthRoutes.SecondFactorPage, PageEndpoints.Tag, (SignInStepPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.SecondFactorAsync(request, ct)) with
        {
            Summary = "Complete a sign-in from the page with a second factor",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLoginPageSubmit, FuncAuthRoutes.PasskeyLoginPage, PageEndpoints.Tag, (SignInStepPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PasskeyAsync(request, ct)) with
        {
            Summary = "Sign in from the page with a passkey",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
    ];

    private ValueTask<IResult> SecondFactorAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> PasskeyAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
