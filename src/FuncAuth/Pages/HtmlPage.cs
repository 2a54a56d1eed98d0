using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FuncAuth.Pages;

/// <summary>
/// A server-rendered page, sent with the headers every FuncAuth page carries. The runner has already sent
/// <c>Cache-Control: no-store</c> (a page may hold a token in its form, so no cache may keep it).
/// </summary>
internal sealed class HtmlPage(string html, int statusCode = StatusCodes.Status200OK, string? formAction = null, string? moreDirectives = null) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "text/html";

    /// <summary>
    /// Only this origin's one stylesheet and one script, no inline script or style (so an injection that slipped past
    /// the encoder could not run), forms that post only here, and never inside a frame (clickjacking) or with a
    /// <c>&lt;base&gt;</c> that would move the form's target elsewhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public string Html { get; } = html;

    public int? StatusCode => statusCode;

    /// <summary>The same page with another status (an error page: 400).</summary>
    public HtmlPage WithStatus(int status) => new(Html, status, formAction, moreDirectives);

    /// <summary>
    /// The same page whose form posts to another origin, the only one its policy then allows (<c>form-action</c>): the
    /// authorization endpoint's form_post answer, whose form goes to the client's redirect URI. A source expression
    /// (<c>https://app.example</c>), written by the caller from a registered URI, never from request text alone.
    /// </summary>
    public HtmlPage WithFormAction(string source) => new(Html, statusCode, source, moreDirectives);

    /// <summary>
    /// The same page allowed one more thing only it needs, as a directive of the policy (a page's own exception, never
    /// every page's): the sign-in page's passkey button fetches its options from this origin (<see cref="SameOriginFetch"/>),
    /// the account page shows a QR code as a <c>data:</c> image (<see cref="DataImages"/>).
    /// </summary>
    public HtmlPage Allowing(string directive) =>
        new(Html, statusCode, formAction, moreDirectives is null ? directive : moreDirectives + "; " + directive);

    /// <summary>Script may call this origin's API (<c>fetch</c>): the passkey button asks for its options.</summary>
    public const string SameOriginFetch = "connect-src 'self'";

    /// <summary>Images written into the page itself (<c>data:</c>), never fetched from anywhere: the TOTP QR code.</summary>
    public const string DataImages = "img-src data:";

    /// <summary>The policy this page is sent with.</summary>
    public string Policy
    {
        get
        {
            var policy = formAction is null
                ? ContentSecurityPolicy
                : ContentSecurityPolicy.Replace("form-action 'self'", "form-action " + formAction, StringComparison.Ordinal);
            return moreDirectives is null ? policy : policy + "; " + moreDirectives;
        }
    }

    public string ContentType => MediaType + "; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.Headers.ContentSecurityPolicy = Policy;
        response.Headers.XContentTypeOptions = "nosniff";

        // Nothing on the page links away today; should a link ever be added, the page's address is not sent with it.
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(Html, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [MediaType]));
    }
}
