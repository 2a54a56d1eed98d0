using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.Http;

/// <summary>The caching headers FuncAuth's answers carry.</summary>
internal static class ResponseHeaders
{
    /// <summary>Answers about credentials or tokens: no cache may keep them (RFC 6749 §5.1, OWASP REST).</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
    }

    /// <summary>Public documents (keys, metadata): any cache may keep them for <paramref name="maxAge"/>.</summary>
    public static void Public(HttpResponse response, TimeSpan maxAge, string entityTag)
    {
        response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)maxAge.TotalSeconds}");
        response.Headers.ETag = entityTag;
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
