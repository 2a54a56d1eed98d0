using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.OpenIdConnect;

/// <summary>
/// <c>GET</c>/<c>POST api/auth/userinfo</c> (OpenID Connect Core §5.3): claims about the bearer token's user, for a token
/// granted the <c>openid</c> scope (a token from login or the password grant has none, so it is refused with
/// <c>insufficient_scope</c>, RFC 6750 §3.1). The runner has already checked the token and its revocation, so a token
/// of an ended session (end-session, logout, a reused code) is refused before the handler runs.
/// </summary>
internal sealed class UserInfoEndpoints(UserStore users)
{
    private const string Tag = "OpenID Connect";

    private const string Description =
        "OpenID Connect Core §5.3: the bearer token's user as claims: sub, preferred_username, and email and email_verified " +
        "with the email scope (when the account has an address). The token must have been granted the openid scope (by the " +
        "authorization_code grant): otherwise 403 with WWW-Authenticate: Bearer error=\"insufficient_scope\" (RFC 6750 §3.1). " +
        "A missing, expired, revoked or invalid token is 401, a token whose account is gone too. Never cached.";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.UserInfo, FuncAuthRoutes.UserInfo, Tag, (UserInfoEndpoints api, EndpointRequest request, CancellationToken ct) => api.UserInfoAsync(request, ct)) with
        {
            Summary = "OpenID Connect UserInfo",
            Description = Description,
            RequiresBearerToken = true,
            Problems = [Status403Forbidden],
            Describe = DescribeForbidden,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.UserInfoPost, FuncAuthRoutes.UserInfo, Tag, (UserInfoEndpoints api, EndpointRequest request, CancellationToken ct) => api.UserInfoAsync(request, ct)) with
        {
            Summary = "OpenID Connect UserInfo (POST)",
            Description = Description + " The same as GET; the token goes in the Authorization header, never in the body.",
            RequiresBearerToken = true,
            Problems = [Status403Forbidden],
            Describe = DescribeForbidden,
        },
    ];

    private static void DescribeForbidden(Microsoft.AspNetCore.Builder.RouteHandlerBuilder builder) =>
        builder.WithResponseHeader(
            Status403Forbidden,
            HeaderNames.WWWAuthenticate,
            "`Bearer error=\"insufficient_scope\", error_description=\"…\", scope=\"openid\"` (RFC 6750 §3.1): the token was not granted the openid scope.");

    private async ValueTask<Results<Ok<UserInfoResponse>, ProblemHttpResult>> UserInfoAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Caller;
        if (!caller.HasScope(IdTokens.Scope))
        {
            const string detail = "The access token was not granted the openid scope.";
            request.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", error_description=\"{detail}\", scope=\"{IdTokens.Scope}\"";
            return Problems.Forbidden(detail);
        }

        // By the token's name, and still the token's user: a name freed by a deletion and taken again is another person's.
        if (!Username.TryCreate(caller.Username, out var username, out _)
            || await users.FindAsync(username!, cancellationToken) is not { } account || account.Id != caller.Subject)
        {
            return BearerToken.InvalidToken(request.Response, "The access token's account no longer exists.");
        }

        var withEmail = caller.HasScope(IdTokens.EmailScope) && account.Email is not null;
        return TypedResults.Ok(new UserInfoResponse(
            account.Id,
            account.Username,
            withEmail ? account.Email : null,
            withEmail ? account.EmailConfirmed : null));
    }
}

/// <summary>200 from userinfo (OpenID Connect Core §5.3.2): standard claims of the token's user.</summary>
public sealed record UserInfoResponse(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("preferred_username")] string PreferredUsername,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonPropertyName("email_verified"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? EmailVerified);
