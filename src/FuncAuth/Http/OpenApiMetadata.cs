using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http;

/// <summary>
/// Endpoint metadata for what the handlers do that ASP.NET Core cannot infer, because they read the request
/// themselves: the headers of some answers, the bearer token, conditional requests. <see cref="FuncAuthOpenApi"/>
/// turns it into the document. Each helper names a status together with the header the code always sends with it.
/// </summary>
internal static class OpenApiMetadata
{
    /// <summary>Endpoints that take a bearer token, and the RFC 6750 challenges of <see cref="BearerToken"/>.</summary>
    public static RouteHandlerBuilder RequiresBearerToken(this RouteHandlerBuilder builder) => builder
        .WithMetadata(BearerTokenMetadata.Instance)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .WithResponseHeader(
            StatusCodes.Status400BadRequest,
            HeaderNames.WWWAuthenticate,
            "`Bearer error=\"invalid_request\", error_description=\"…\"` (RFC 6750 §3.1): the Authorization header is malformed or repeated.")
        .WithResponseHeader(
            StatusCodes.Status401Unauthorized,
            HeaderNames.WWWAuthenticate,
            "`Bearer` when no bearer token was sent; `Bearer error=\"invalid_token\", error_description=\"…\"` (RFC 6750 §3.1) " +
            "when the token expired, has been revoked or is invalid.");

    /// <summary>A storage fault: <see cref="Problems.StorageUnavailable"/> always sets Retry-After.</summary>
    public static RouteHandlerBuilder ProducesStorageUnavailable(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .WithResponseHeader(
            StatusCodes.Status503ServiceUnavailable,
            HeaderNames.RetryAfter,
            $"Seconds to wait before trying again ({Problems.RetryAfterSeconds}).",
            integer: true);

    /// <summary>Per-client throttling: <see cref="Problems.TooManyRequests"/> always sets Retry-After.</summary>
    public static RouteHandlerBuilder ProducesThrottling(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .WithResponseHeader(
            StatusCodes.Status429TooManyRequests,
            HeaderNames.RetryAfter,
            "Seconds until this client may try again (FuncAuth:Throttling).",
            integer: true);

    /// <summary>The public documents: cacheable, with an ETag, 304 on a matching If-None-Match.</summary>
    public static RouteHandlerBuilder ProducesCacheableDocument<TDocument>(this RouteHandlerBuilder builder, string contentType) => builder
        .Produces<TDocument>(StatusCodes.Status200OK, contentType)
        .Produces(StatusCodes.Status304NotModified)
        .WithRequestHeader(HeaderNames.IfNoneMatch, "Entity tags of a copy the client holds; when one matches, the answer is 304 with no body.")
        .WithCachingHeaders(StatusCodes.Status200OK)
        .WithCachingHeaders(StatusCodes.Status304NotModified);

    private static RouteHandlerBuilder WithCachingHeaders(this RouteHandlerBuilder builder, int statusCode) => builder
        .WithResponseHeader(statusCode, HeaderNames.ETag, "The entity tag of the current version of the document.")
        .WithResponseHeader(statusCode, HeaderNames.CacheControl, "`public, max-age=<seconds>` (FuncAuth:Tokens:KeySetCacheDuration).");

    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description, bool integer = false) =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description, integer));

    public static RouteHandlerBuilder WithRequestHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new RequestParameterMetadata(name, RequestParameterMetadata.Header, description));

    /// <summary>A value of the route (<c>{name}</c>), which the handler reads from the request itself.</summary>
    public static RouteHandlerBuilder WithRouteParameter(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new RequestParameterMetadata(name, RequestParameterMetadata.Path, description));

    /// <summary>An optional query parameter the handler reads from the request itself.</summary>
    public static RouteHandlerBuilder WithQueryParameter(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new RequestParameterMetadata(name, RequestParameterMetadata.Query, description));
}

/// <summary>The endpoint takes a bearer token in the Authorization header (RFC 6750 §2.1).</summary>
internal sealed class BearerTokenMetadata
{
    public static readonly BearerTokenMetadata Instance = new();

    private BearerTokenMetadata()
    {
    }
}

/// <summary>A header the answer with <paramref name="StatusCode"/> carries.</summary>
internal sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description, bool Integer);

/// <summary>An optional request header or query parameter the handler reads.</summary>
internal sealed record RequestParameterMetadata(string Name, string In, string Description)
{
    public const string Header = "header";
    public const string Query = "query";
    public const string Path = "path";
}
