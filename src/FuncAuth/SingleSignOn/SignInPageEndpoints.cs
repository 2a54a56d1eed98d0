using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.SingleSignOn;

/// <summary>The hosted sign-in, registration and forgot-password pages.</summary>
internal sealed class SignInPageEndpoints
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.LoginPage, FuncAuthRoutes.LoginPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "The sign-in page",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.LoginPageSubmit, FuncAuthRoutes.LoginPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "Sign in from the page",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.RegisterPage, FuncAuthRoutes.RegisterPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "The registration page",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.RegisterPageSubmit, FuncAuthRoutes.RegisterPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "Register from the page",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ForgotPasswordPage, FuncAuthRoutes.ForgotPasswordPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "The forgot-password page",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ForgotPasswordPageSubmit, FuncAuthRoutes.ForgotPasswordPage, PageEndpoints.Tag, (SignInPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.PageAsync(request, ct)) with
        {
            Summary = "Ask for a reset link from the page",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.Form,
            SendsMail = true,
        },
    ];

    private ValueTask<Results<HtmlPage, RedirectHttpResult>> PageAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
