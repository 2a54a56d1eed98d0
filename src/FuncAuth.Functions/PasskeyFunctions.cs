using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary>
/// Passkeys (registration, the caller's list, removal, passwordless sign-in), each handed to the core's
/// <see cref="EndpointRunner"/>; the <c>{id}</c> segment of a route is bound by name and handed over with the request.
/// </summary>
public sealed class PasskeyFunctions(EndpointRunner runner)
{
    [Function(FuncAuthEndpointNames.PasskeyRegistrationOptions)]
    public Task<IResult> RegistrationOptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.PasskeyRegistrationOptions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PasskeyRegistrationOptions, request, cancellationToken);

    [Function(FuncAuthEndpointNames.RegisterPasskey)]
    public Task<IResult> Register(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Passkeys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.RegisterPasskey, request, cancellationToken);

    [Function(FuncAuthEndpointNames.ListPasskeys)]
    public Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FuncAuthRoutes.Passkeys)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.ListPasskeys, request, cancellationToken);

    [Function(FuncAuthEndpointNames.DeletePasskey)]
    public Task<IResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = FuncAuthRoutes.Passkey)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.DeletePasskey, request, cancellationToken, ("id", id));

    [Function(FuncAuthEndpointNames.PasskeyLoginOptions)]
    public Task<IResult> LoginOptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.PasskeyLoginOptions)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PasskeyLoginOptions, request, cancellationToken);

    [Function(FuncAuthEndpointNames.PasskeyLogin)]
    public Task<IResult> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.PasskeyLogin)] HttpRequest request,
        CancellationToken cancellationToken) =>
        runner.RunAsync(FuncAuthEndpointNames.PasskeyLogin, request, cancellationToken);
}
