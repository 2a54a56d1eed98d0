using System.Buffers.Text;
using System.Security.Cryptography;
using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Pages;

/// <summary>
/// The one stylesheet and the one script of the pages, embedded in the assembly (Pages/Assets) and served by FuncAuth
/// itself on both hosts: no CDN, nothing the Content-Security-Policy would have to allow from elsewhere.
/// </summary>
internal sealed class PageAsset
{
    public static readonly PageAsset Stylesheet = Load("funcauth.css", "text/css; charset=utf-8", FuncAuthRoutes.PageStylesheet);

    public static readonly PageAsset Script = Load("funcauth.js", "text/javascript; charset=utf-8", FuncAuthRoutes.PageScript);

    private PageAsset(byte[] content, string contentType, string route)
    {
        Content = content;
        ContentType = contentType;
        Route = route;

        // The content's own hash: the pages link to "…?v=<version>", so a new version is a new address and the old
        // one may be cached for good.
        Version = Base64Url.EncodeToString(SHA256.HashData(content).AsSpan(0, 12));
        EntityTag = $"\"{Version}\"";
    }

    public byte[] Content { get; }

    public string ContentType { get; }

    public string Route { get; }

    public string Version { get; }

    public string EntityTag { get; }

    /// <summary>The address a page links to: under the request's path base, with the version that busts caches.</summary>
    public string PathFor(HttpRequest request) => $"{request.PathBase}/{Route}?v={Version}";

    public PageAssetResult Serve(HttpRequest request) => new(this, request);

    private static PageAsset Load(string fileName, string contentType, string route)
    {
        using var stream = typeof(PageAsset).Assembly.GetManifestResourceStream($"FuncAuth.Pages.Assets.{fileName}")
            ?? throw new InvalidOperationException($"The page asset {fileName} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new PageAsset(copy.ToArray(), contentType, route);
    }
}

/// <summary>An asset, or 304 when the client's copy is current.</summary>
internal sealed class PageAssetResult(PageAsset asset, HttpRequest request) : IResult
{
    /// <summary>How long a versioned address may be kept: a year, the longest caches honour (RFC 9111 §5.2.2.1).</summary>
    public const string VersionedCaching = "public, max-age=31536000, immutable";

    /// <summary>Any other address (no version, or another instance's during a deployment): kept, but checked each time.</summary>
    public const string UnversionedCaching = "public, no-cache";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;

        // Only the address of exactly this content is cached for good: an instance still on an older version, asked
        // for the newer one during a rolling deployment, must not have its old content kept under the new address.
        response.Headers.CacheControl = request.Query["v"] == asset.Version ? VersionedCaching : UnversionedCaching;
        response.Headers.ETag = asset.EntityTag;
        response.Headers.XContentTypeOptions = "nosniff";
        if (Matches(request, asset.EntityTag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content, httpContext.RequestAborted).AsTask();
    }

    // RFC 9110 §13.1.2: If-None-Match compares weakly, and "*" matches any current representation.
    private static bool Matches(HttpRequest request, string entityTag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0 || !EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(entityTag);
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false));
    }
}
