using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

public static class FuncAuthEndpointRouteBuilderExtensions
{
    /// <summary>Maps the FuncAuth endpoints, at the routes of <see cref="FuncAuthRoutes"/>, onto any ASP.NET Core app.</summary>
    public static IEndpointConventionBuilder MapFuncAuth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var auth = endpoints.MapGroup(string.Empty).WithTags("FuncAuth");

        auth.MapPost(FuncAuthRoutes.Register, (HttpRequest request, FuncAuthHandlers handlers, CancellationToken ct) =>
            handlers.RegisterAsync(request, ct)).WithName("register");

        auth.MapPost(FuncAuthRoutes.Login, (HttpRequest request, FuncAuthHandlers handlers, CancellationToken ct) =>
            handlers.LoginAsync(request, ct)).WithName("login");

        auth.MapMethods(FuncAuthRoutes.Verify, [HttpMethods.Get, HttpMethods.Post], (HttpRequest request, FuncAuthHandlers handlers, CancellationToken ct) =>
            handlers.VerifyAsync(request, ct)).WithName("verify");

        auth.MapPost(FuncAuthRoutes.Logout, (HttpRequest request, FuncAuthHandlers handlers, CancellationToken ct) =>
            handlers.LogoutAsync(request, ct)).WithName("logout");

        auth.MapGet(FuncAuthRoutes.Health, (HttpRequest request, FuncAuthHandlers handlers, CancellationToken ct) =>
            handlers.HealthAsync(request, ct)).WithName("health");

        return auth;
    }
}
