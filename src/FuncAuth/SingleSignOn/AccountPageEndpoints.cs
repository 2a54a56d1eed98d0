using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The account page (<c>auth/account</c>): a user signed in to the browser session adds, names and removes passkeys and
/// turns TOTP on and off. SKELETON: helper B fills it in.
/// </summary>
internal sealed class AccountPageEndpoints
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.AccountPage, FuncAuthRoutes.AccountPage, PageEndpoints.Tag, (AccountPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.ShowAsync(request, ct)) with
        {
            Summary = "The account page",
            Description = "SKELETON.",
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.AccountPageSubmit, FuncAuthRoutes.AccountPage, PageEndpoints.Tag, (AccountPageEndpoints pages, EndpointRequest request, CancellationToken ct) => pages.SubmitAsync(request, ct)) with
        {
            Summary = "Change passkeys or TOTP from the account page",
            Description = "SKELETON.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
    ];

    private ValueTask<IResult> ShowAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");

    private ValueTask<IResult> SubmitAsync(EndpointRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
