using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Passkeys;

/// <summary>
/// Passkeys (WebAuthn): registering one (bearer), listing and removing one's own, and passwordless sign-in with a
/// discoverable credential. SKELETON: helper P fills it in.
/// </summary>
internal sealed class PasskeyEndpoints
{
    private const string Tag = "Passkeys";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyRegistrationOptions, FuncAuthRoutes.PasskeyRegistrationOptions, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.RegistrationOptionsAsync(request, ct)) with
        {
            Summary = "Options to register a passkey",
            Description = "SKELETON.",
            RequiresBearerToken = true,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.RegisterPasskey, FuncAuthRoutes.Passkeys, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.RegisterAsync(request, ct)) with
        {
            Summary = "Register a passkey",
            Description = "SKELETON.",
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ListPasskeys, FuncAuthRoutes.Passkeys, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.ListAsync(request, ct)) with
        {
            Summary = "Your passkeys",
            Description = "SKELETON.",
            RequiresBearerToken = true,
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DeletePasskey, FuncAuthRoutes.Passkey, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.DeleteAsync(request, ct)) with
        {
            Summary = "Remove one of your passkeys",
            Description = "SKELETON.",
            RequiresBearerToken = true,
            Problems = [Status404NotFound],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLoginOptions, FuncAuthRoutes.PasskeyLoginOptions, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginOptionsAsync(request, ct)) with
        {
            Summary = "Options to sign in with a passkey",
            Description = "SKELETON.",
            Throttle = Throttle.TokenRequests,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.PasskeyLogin, FuncAuthRoutes.PasskeyLogin, Tag, (PasskeyEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginAsync(request, ct)) with
        {
            Summary = "Sign in with a passkey",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status401Unauthorized],
        },
    ];

    private ValueTask<IResult> RegistrationOptionsAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> RegisterAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> ListAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> DeleteAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> LoginOptionsAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> LoginAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
