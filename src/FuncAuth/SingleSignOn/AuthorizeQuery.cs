using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// The authorization request a sign-in page carries (hidden field <c>authorize</c>) so the user comes back to it. It is
/// only ever a query string: it is parsed into names and values and written out again, encoded, after
/// <c>{PathBase}/api/auth/authorize?</c>, so whatever a forged form puts in it (<c>//evil.example</c>, <c>@host</c>,
/// <c>../</c>, CR/LF) cannot change the host or the path of the redirect: it can at most be a strange authorization
/// request, which the authorize endpoint then judges like any other.
/// </summary>
internal static class AuthorizeQuery
{
    /// <summary>Generous for any real authorization request, small enough to keep a hostile one out of the form.</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// The query re-encoded (no leading <c>?</c>), or "" when there is none; null when it is not a plain query string
    /// (too long, control characters, a fragment).
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var text = raw.StartsWith('?') ? raw[1..] : raw;
        if (text.Length > MaxLength || text.Contains('#', StringComparison.Ordinal) || text.Any(char.IsControl))
        {
            return null;
        }

        var builder = new QueryBuilder();
        foreach (var (name, values) in QueryHelpers.ParseQuery("?" + text))
        {
            foreach (var value in values)
            {
                if (value is null || name.Any(char.IsControl) || value.Any(char.IsControl))
                {
                    return null;
                }

                builder.Add(name, value);
            }
        }

        return builder.ToQueryString().Value is { Length: > 1 } encoded ? encoded[1..] : string.Empty;
    }

    /// <summary>One parameter of a normalized query (the first, when repeated), e.g. <c>login_hint</c>.</summary>
    public static string? Parameter(string query, string name) =>
        QueryHelpers.ParseQuery("?" + query).TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>
    /// Where a successful sign-in goes back to: the authorization request without <c>prompt</c> and <c>max_age</c> (the user
    /// has just signed in; kept, <c>prompt=login</c> would send them to the form again, for ever).
    /// </summary>
    public static string AuthorizeUrl(HttpRequest request, string normalized)
    {
        var builder = new QueryBuilder();
        foreach (var (name, values) in QueryHelpers.ParseQuery("?" + normalized))
        {
            if (name is "prompt" or "max_age")
            {
                continue;
            }

            foreach (var value in values)
            {
                builder.Add(name, value ?? string.Empty);
            }
        }

        return $"{request.PathBase}/{FuncAuthRoutes.Authorize}{builder.ToQueryString()}";
    }

    /// <summary>A page's address carrying the authorization request (to the registration page and back, say).</summary>
    public static string PageUrl(HttpRequest request, string route, string normalized) =>
        normalized.Length == 0 ? $"{request.PathBase}/{route}" : $"{request.PathBase}/{route}?{normalized}";
}
