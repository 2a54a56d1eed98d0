using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Authorization;

/// <summary>
/// <c>GET api/auth/authorize</c>: the authorization endpoint (RFC 6749 §4.1, OAuth 2.1, OpenID Connect Core §3.1.2).
/// </summary>
internal sealed class AuthorizationEndpoints
{
    private const string Tag = "OpenID Connect";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.Authorize, FuncAuthRoutes.Authorize, Tag, (AuthorizationEndpoints api, EndpointRequest request, CancellationToken ct) => api.AuthorizeAsync(request, ct)) with
        {
            Summary = "OAuth 2.0 / OpenID Connect authorization endpoint",
        },
    ];

    private ValueTask<Results<HtmlPage, RedirectHttpResult>> AuthorizeAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
