using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.SingleSignOn;

/// <summary><c>api/auth/end-session</c>: OpenID Connect RP-Initiated Logout 1.0.</summary>
internal sealed class SignOutEndpoints
{
    private const string Tag = "OpenID Connect";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.SignOut, FuncAuthRoutes.EndSession, Tag, (SignOutEndpoints api, EndpointRequest request, CancellationToken ct) => api.SignOutAsync(request, ct)) with
        {
            Summary = "OpenID Connect end-session (RP-Initiated Logout)",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.SignOutSubmit, FuncAuthRoutes.EndSession, Tag, (SignOutEndpoints api, EndpointRequest request, CancellationToken ct) => api.SignOutAsync(request, ct)) with
        {
            Summary = "OpenID Connect end-session (POST)",
            Body = BodyKind.Form,
        },
    ];

    private ValueTask<Results<HtmlPage, RedirectHttpResult>> SignOutAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
