using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>The second factor (TOTP enrolment, the second step of sign-in), each handed to the core's <see cref="EndpointRunner"/>.</summary>
public sealed class SecondFactorFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.LoginSecondFactor)]
    public Task<IResult> LoginSecondFactor(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.LoginSecondFactor)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.LoginSecondFactor, request, cancellationToken);

    [Function(FuncAuthEndpointNames.EnrolTotp)]
    public Task<IResult> EnrolTotp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Totp)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.EnrolTotp, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ConfirmTotp)]
    public Task<IResult> ConfirmTotp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.TotpConfirmation)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ConfirmTotp, request, cancellationToken);

    [Function(FuncAuthEndpointNames.DisableTotp)]
    public Task<IResult> DisableTotp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Totp)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.DisableTotp, request, cancellationToken);
}
