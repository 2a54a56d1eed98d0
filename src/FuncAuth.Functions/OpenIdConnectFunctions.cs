using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// Browser sign-in for registered clients: <c>authorize</c>, <c>userinfo</c> and <c>end-session</c>, each handed to the
/// core's <see cref="EndpointRunner"/>.
/// </summary>
public sealed class OpenIdConnectFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.Authorize)]
    public Task<IResult> Authorize(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Authorize)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.Authorize, request, cancellationToken);

    [Function(FuncAuthEndpointNames.UserInfo)]
    public Task<IResult> UserInfo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.UserInfo)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.UserInfo, request, cancellationToken);

    [Function(FuncAuthEndpointNames.UserInfoPost)]
    public Task<IResult> UserInfoPost(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.UserInfo)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.UserInfoPost, request, cancellationToken);

    [Function(FuncAuthEndpointNames.SignOut)]
    public Task<IResult> SignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.EndSession)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.SignOut, request, cancellationToken);

    [Function(FuncAuthEndpointNames.SignOutSubmit)]
    public Task<IResult> SignOutSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.EndSession)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.SignOutSubmit, request, cancellationToken);
}
