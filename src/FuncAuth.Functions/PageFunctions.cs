using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// The pages FuncAuth serves itself (confirm-email, reset-password) and their stylesheet and script, each handed to the
/// core's <see cref="EndpointRunner"/>. A link's token is in the URL fragment, which the browser never sends, so the
/// Functions host and Application Insights record these requests without it.
/// </summary>
public sealed class PageFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.ConfirmEmailPage)]
    public Task<IResult> ConfirmEmailPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.ConfirmEmailPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ConfirmEmailPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ConfirmEmailPageSubmit)]
    public Task<IResult> ConfirmEmailPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ConfirmEmailPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ConfirmEmailPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ResetPasswordPage)]
    public Task<IResult> ResetPasswordPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.ResetPasswordPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ResetPasswordPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ResetPasswordPageSubmit)]
    public Task<IResult> ResetPasswordPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ResetPasswordPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ResetPasswordPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.PageStylesheet)]
    public Task<IResult> PageStylesheet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.PageStylesheet)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PageStylesheet, request, cancellationToken);

    [Function(FuncAuthEndpointNames.PageScript)]
    public Task<IResult> PageScript(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.PageScript)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PageScript, request, cancellationToken);
}
