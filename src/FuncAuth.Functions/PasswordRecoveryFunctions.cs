using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>Password recovery: asking for a reset link, and setting a new password with it. Thin, as every function here.</summary>
public sealed class PasswordRecoveryFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.ForgotPassword)]
    public Task<IResult> ForgotPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ForgotPassword)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ForgotPassword, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ResetPassword)]
    public Task<IResult> ResetPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.ResetPassword)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ResetPassword, request, cancellationToken);
}
