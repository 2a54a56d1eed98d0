using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.OpenIdConnect;

/// <summary><c>GET</c>/<c>POST api/auth/userinfo</c> (OpenID Connect Core §5.3): claims about the bearer token's user.</summary>
internal sealed class UserInfoEndpoints
{
    private const string Tag = "OpenID Connect";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.UserInfo, FuncAuthRoutes.UserInfo, Tag, (UserInfoEndpoints api, EndpointRequest request, CancellationToken ct) => api.UserInfoAsync(request, ct)) with
        {
            Summary = "OpenID Connect UserInfo",
            RequiresBearerToken = true,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.UserInfoPost, FuncAuthRoutes.UserInfo, Tag, (UserInfoEndpoints api, EndpointRequest request, CancellationToken ct) => api.UserInfoAsync(request, ct)) with
        {
            Summary = "OpenID Connect UserInfo (POST)",
            RequiresBearerToken = true,
        },
    ];

    private ValueTask<Results<Ok, ProblemHttpResult>> UserInfoAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
