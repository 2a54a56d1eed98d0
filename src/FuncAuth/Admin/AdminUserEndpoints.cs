using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Admin;

/// <summary>
/// The admin API over users: list and page through them, read one, change their roles or disable them, delete them, sign
/// them out everywhere, clear their lockout. The runner lets only administrators in (<see cref="AdminAuthorization"/>); every
/// action is a security event naming the administrator, the action and the user.
/// </summary>
internal sealed class AdminUserEndpoints
{
    private const string Tag = "Administration";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ListUsers, FuncAuthRoutes.AdminUsers, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.ListAsync(request, ct)) with
        {
            Summary = "List users",
            RequiresAdmin = true,
            Problems = [Status400BadRequest],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.GetUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.GetAsync(request, ct)) with
        {
            Summary = "Read a user",
            RequiresAdmin = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Patch(FuncAuthEndpointNames.UpdateUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.UpdateAsync(request, ct)) with
        {
            Summary = "Change a user's roles, or disable or enable them",
            RequiresAdmin = true,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status404NotFound, Status409Conflict],
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DeleteUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.DeleteAsync(request, ct)) with
        {
            Summary = "Delete a user",
            RequiresAdmin = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.EndUserSessions, FuncAuthRoutes.AdminUserSessions, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.EndSessionsAsync(request, ct)) with
        {
            Summary = "Sign a user out everywhere",
            RequiresAdmin = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.UnlockUser, FuncAuthRoutes.AdminUserUnlock, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.UnlockAsync(request, ct)) with
        {
            Summary = "Clear a user's lockout",
            RequiresAdmin = true,
            Problems = [Status404NotFound],
        },
    ];

    public ValueTask<IResult> ListAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");

    public ValueTask<IResult> GetAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");

    public ValueTask<IResult> UpdateAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");

    public ValueTask<IResult> DeleteAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");

    public ValueTask<IResult> EndSessionsAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");

    public ValueTask<IResult> UnlockAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");
}
