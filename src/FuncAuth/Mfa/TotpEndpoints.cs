using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Mfa;

/// <summary>
/// The second factor for API clients: TOTP enrolment (<c>api/auth/mfa/totp</c>, its confirmation, turning it off) and the
/// second step of a sign-in that answered <c>mfa_required</c> (<c>api/auth/login/mfa</c>). SKELETON: helper T fills it in.
/// </summary>
internal sealed class TotpEndpoints
{
    private const string Tag = "Second factor";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.LoginSecondFactor, FuncAuthRoutes.LoginSecondFactor, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.LoginSecondFactorAsync(request, ct)) with
        {
            Summary = "Complete a sign-in with a second factor",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status401Unauthorized],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.EnrolTotp, FuncAuthRoutes.Totp, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.EnrolAsync(request, ct)) with
        {
            Summary = "Begin TOTP enrolment",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status403Forbidden],
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ConfirmTotp, FuncAuthRoutes.TotpConfirmation, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.ConfirmAsync(request, ct)) with
        {
            Summary = "Turn TOTP on",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status403Forbidden],
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DisableTotp, FuncAuthRoutes.Totp, Tag, (TotpEndpoints api, EndpointRequest request, CancellationToken ct) => api.DisableAsync(request, ct)) with
        {
            Summary = "Turn TOTP off",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            RequiresBearerToken = true,
            Body = BodyKind.Json,
            Problems = [Status400BadRequest, Status403Forbidden],
        },
    ];

    private ValueTask<IResult> LoginSecondFactorAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> EnrolAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> ConfirmAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> DisableAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
