using System.Net;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// How the single-sign-on pages name and flag their cookies. Over HTTPS (and for any host that is not loopback, whatever
/// the scheme looks like behind a proxy) a cookie is <c>Secure</c> and carries the <c>__Host-</c> prefix, which makes the
/// browser insist on Secure, Path=/ and no Domain: a sibling subdomain cannot plant or overwrite it (cookie tossing).
/// </summary>
/// <remarks>
/// Plain HTTP on a loopback host (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>[::1]</c>: Development and the tests) gets the
/// same cookie without <c>Secure</c> and so without the prefix (<c>funcauth.…</c>): traffic to loopback never leaves the
/// machine, and cookie jars other than Chromium's (HttpClient's, Node's) refuse or never send Secure cookies over http.
/// The two names are never mixed up: a request is read only by the name its own scheme and host would set, so an
/// unprefixed cookie is never taken over HTTPS. A non-loopback host is never given a cookie without Secure.
/// </remarks>
internal static class PageCookies
{
    public const string SessionName = "funcauth.session";

    public const string CsrfName = "funcauth.csrf";

    private const string SecurePrefix = "__Host-";

    /// <summary>Whether the request may use the unprefixed, non-Secure form: plain HTTP to a loopback host.</summary>
    public static bool IsPlainLoopback(HttpRequest request) =>
        !request.IsHttps && IsLoopbackHost(request.Host.Host);

    /// <summary>The cookie's name for this request (<c>__Host-</c>… unless <see cref="IsPlainLoopback"/>).</summary>
    public static string NameFor(HttpRequest request, string name) => IsPlainLoopback(request) ? name : SecurePrefix + name;

    /// <summary>HttpOnly, Path=/, no Domain, Secure unless plain loopback, with the given SameSite and expiry.</summary>
    public static CookieOptions Options(HttpRequest request, SameSiteMode sameSite, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = !IsPlainLoopback(request),
        SameSite = sameSite,
        Path = "/",
        Domain = null,
        Expires = expires,
        IsEssential = true,
    };

    public static string? Read(HttpRequest request, string name) =>
        request.Cookies.TryGetValue(NameFor(request, name), out var value) ? value : null;

    public static void Write(HttpRequest request, string name, string value, SameSiteMode sameSite, DateTimeOffset? expires) =>
        request.HttpContext.Response.Cookies.Append(NameFor(request, name), value, Options(request, sameSite, expires));

    /// <summary>Removes the cookie (an expired one with the same name, path and flags, as browsers require to replace it).</summary>
    public static void Clear(HttpRequest request, string name, SameSiteMode sameSite) =>
        request.HttpContext.Response.Cookies.Append(NameFor(request, name), string.Empty, Options(request, sameSite, DateTimeOffset.UnixEpoch));

    private static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) && IPAddress.IsLoopback(address);
    }
}
