using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary>
/// Reads the bearer token of a request (RFC 6750 §2.1: the <c>Authorization</c> header only; tokens in
/// URLs leak into logs) and builds the challenges of RFC 6750 §3 when there is none or it is refused.
/// </summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer";

    // Far above any FuncAuth token, far below what could cost anything to look at.
    private const int MaxHeaderLength = 8192;

    /// <summary>
    /// The token, as a slice of the header (no copy: verify is the hot path), or false with
    /// <paramref name="problem"/> saying why there is none to check.
    /// </summary>
    public static bool TryRead(HttpRequest request, out ReadOnlyMemory<char> token, out ProblemHttpResult? problem)
    {
        token = default;
        problem = null;
        var values = request.Headers.Authorization;
        if (values.Count == 0)
        {
            problem = Missing(request.HttpContext.Response);
            return false;
        }

        if (values.Count > 1)
        {
            problem = InvalidRequest(request.HttpContext.Response, "Send exactly one Authorization header.");
            return false;
        }

        var header = values[0] ?? string.Empty;
        if (header.Length > MaxHeaderLength)
        {
            problem = InvalidToken(request.HttpContext.Response, "The access token is invalid.");
            return false;
        }

        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header.AsSpan() : header.AsSpan(0, space);
        if (!scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Credentials of another scheme are no bearer token: answer as if there were none.
            problem = Missing(request.HttpContext.Response);
            return false;
        }

        token = space < 0 ? ReadOnlyMemory<char>.Empty : header.AsMemory(space + 1).Trim(' ');
        if (token.IsEmpty || token.Span.Contains(' '))
        {
            problem = InvalidRequest(request.HttpContext.Response, "The Authorization header must be 'Bearer <token>'.");
            return false;
        }

        return true;
    }

    public static ProblemHttpResult Missing(HttpResponse response) =>
        Problems.Unauthorized(response, Scheme, "A bearer token is required in the Authorization header.");

    public static ProblemHttpResult InvalidToken(HttpResponse response, string description) =>
        Problems.Unauthorized(response, $"{Scheme} error=\"invalid_token\", error_description=\"{description}\"", description);

    /// <summary>RFC 6750 §3.1 <c>insufficient_scope</c>: a valid token that may not do this (403).</summary>
    public static ProblemHttpResult InsufficientScope(HttpResponse response, string description)
    {
        response.Headers.WWWAuthenticate = $"{Scheme} error=\"insufficient_scope\", error_description=\"{description}\"";
        return Problems.Forbidden(description);
    }

    private static ProblemHttpResult InvalidRequest(HttpResponse response, string description)
    {
        response.Headers.WWWAuthenticate = $"{Scheme} error=\"invalid_request\", error_description=\"{description}\"";
        return Problems.BadRequest(description);
    }
}
