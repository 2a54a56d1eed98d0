using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>The hosted sign-in, registration and forgot-password pages, each handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class SignInPageFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.LoginPage)]
    public Task<IResult> LoginPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.LoginPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.LoginPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.LoginPageSubmit)]
    public Task<IResult> LoginPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.LoginPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.LoginPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.RegisterPage)]
    public Task<IResult> RegisterPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.RegisterPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.RegisterPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.RegisterPageSubmit)]
    public Task<IResult> RegisterPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.RegisterPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.RegisterPageSubmit, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ForgotPasswordPage)]
    public Task<IResult> ForgotPasswordPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.ForgotPasswordPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ForgotPasswordPage, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ForgotPasswordPageSubmit)]
    public Task<IResult> ForgotPasswordPageSubmit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ForgotPasswordPage)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ForgotPasswordPageSubmit, request, cancellationToken);
}
