using FuncAuth.Email;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Pages;

/// <summary>
/// The pages FuncAuth serves itself, so the links of its messages work with no app of their own: <c>auth/confirm-email</c>
/// and <c>auth/reset-password</c>, their stylesheet and their script. A link carries its token in the URL fragment
/// (<c>#token=…</c>), which a browser never sends: the GET of a page sees no token, so it can neither spend one (mail
/// scanners open links before people do) nor write one into a request log or telemetry. The page's script moves the
/// token into the form; only the person's POST spends it (<see cref="PageSubmissions"/>).
/// </summary>
internal sealed class PageEndpoints(IOptions<EmailOptions> email)
{
    public const string Tag = "Pages";

    private readonly string _productName = email.Value.ProductName;

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ConfirmEmailPage, FuncAuthRoutes.ConfirmEmailPage, Tag, (PageEndpoints pages, EndpointRequest request, CancellationToken _) => pages.ConfirmEmail(request)) with
        {
            Summary = "The confirm-email page",
            Description = "An HTML page with a form that confirms an email address. The link in a confirmation message points here " +
                "with the token in the URL fragment (#token=…), which browsers do not send: the page's script copies it into the " +
                "form, and only pressing the button (a POST to the same address) confirms. Opening the link spends nothing.",
            UsesStorage = false,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ConfirmEmailPageSubmit, FuncAuthRoutes.ConfirmEmailPage, Tag, (PageSubmissions pages, EndpointRequest request, CancellationToken ct) => pages.ConfirmEmailAsync(request, ct)) with
        {
            Summary = "Confirm an email address from the page",
            Description = "What the confirm-email page's form posts: confirms the address with the token and answers an HTML page " +
                "saying so, or the form again with the error announced (one message for an unknown, expired or used token). " +
                "A browser's cross-site POST (Sec-Fetch-Site: cross-site) is refused with 403.",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.Form,
            BodySchema = typeof(ConfirmEmailForm),
            Problems = [Status403Forbidden],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ResetPasswordPage, FuncAuthRoutes.ResetPasswordPage, Tag, (PageEndpoints pages, EndpointRequest request, CancellationToken _) => pages.ResetPassword(request)) with
        {
            Summary = "The reset-password page",
            Description = "An HTML page with a form to choose a new password. The link in a reset message points here with the " +
                "token in the URL fragment (#token=…), which browsers do not send: the page's script copies it into the form, " +
                "and only the form's POST spends it. Opening the link spends nothing.",
            UsesStorage = false,
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ResetPasswordPageSubmit, FuncAuthRoutes.ResetPasswordPage, Tag, (PageSubmissions pages, EndpointRequest request, CancellationToken ct) => pages.ResetPasswordAsync(request, ct)) with
        {
            Summary = "Set a new password from the page",
            Description = "What the reset-password page's form posts: sets the new password with the token, ends every session, " +
                "and answers an HTML page saying so (it does not sign in). Otherwise the form again with the error announced: " +
                "passwords that differ, a new password the rules refuse, or one message for an unknown, expired or used token. " +
                "A browser's cross-site POST (Sec-Fetch-Site: cross-site) is refused with 403.",
            Throttle = Throttle.PasswordChecks,
            Body = BodyKind.Form,
            BodySchema = typeof(ResetPasswordForm),
            Problems = [Status403Forbidden],
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.PageStylesheet, FuncAuthRoutes.PageStylesheet, Tag, (PageEndpoints _, EndpointRequest request, CancellationToken _) => ValueTask.FromResult(PageAsset.Stylesheet.Serve(request.Http))) with
        {
            Summary = "The pages' stylesheet",
            Description = "The one stylesheet of the pages FuncAuth serves. Cacheable: for a year at the versioned address the " +
                "pages link to (?v=<hash of the content>); 304 when If-None-Match matches.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => DescribeAsset(builder, "text/css"),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.PageScript, FuncAuthRoutes.PageScript, Tag, (PageEndpoints _, EndpointRequest request, CancellationToken _) => ValueTask.FromResult(PageAsset.Script.Serve(request.Http))) with
        {
            Summary = "The pages' script",
            Description = "The one script of the pages FuncAuth serves: it copies the token from the URL fragment into the form " +
                "and removes the fragment from the address and history. Cacheable as the stylesheet is.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => DescribeAsset(builder, "text/javascript"),
        },
    ];

    /// <summary><c>GET auth/confirm-email</c>: the form; the token, in the fragment, never reaches this handler.</summary>
    private ValueTask<HtmlPage> ConfirmEmail(EndpointRequest request) =>
        ValueTask.FromResult(ConfirmEmailPage.Form(request.Http, _productName));

    /// <summary><c>GET auth/reset-password</c>: the form; the token, in the fragment, never reaches this handler.</summary>
    private ValueTask<HtmlPage> ResetPassword(EndpointRequest request) =>
        ValueTask.FromResult(ResetPasswordPage.Form(request.Http, _productName));

    private static void DescribeAsset(RouteHandlerBuilder builder, string contentType) => builder
        .Produces<string>(Status200OK, contentType)
        .Produces(Status304NotModified)
        .WithRequestHeader(HeaderNames.IfNoneMatch, "Entity tags of a copy the client holds; when one matches, the answer is 304 with no body.")
        .WithResponseHeader(Status200OK, HeaderNames.ETag, "The entity tag of the content.")
        .WithResponseHeader(Status200OK, HeaderNames.CacheControl, $"`{PageAssetResult.VersionedCaching}` at the current versioned address, else `{PageAssetResult.UnversionedCaching}`.")
        .WithResponseHeader(Status304NotModified, HeaderNames.ETag, "The entity tag of the content.");
}
