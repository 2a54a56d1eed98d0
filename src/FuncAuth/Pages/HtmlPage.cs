using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FuncAuth.Pages;

/// <summary>
/// A server-rendered page, sent with the headers every FuncAuth page carries. The runner has already sent
/// <c>Cache-Control: no-store</c> (a page may hold a token in its form, so no cache may keep it).
/// </summary>
internal sealed class HtmlPage(string html, int statusCode = StatusCodes.Status200OK) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IContentTypeHttpResult
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

    /// <summary>The same page answered with another status (a refused form is 403, an error page 400 or 404).</summary>
    public HtmlPage WithStatus(int status) => new(Html, status);

    public int? StatusCode => statusCode;

    public string ContentType => MediaType + "; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
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
