using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// A browser's part of the authorization code flow, over HTTP without a browser: a cookie jar of its own (so it sends
/// FuncAuth's cookies whatever their Secure flag says, as a browser does to loopback), no redirect followed on its own,
/// and FuncAuth's sign-in form filled in with the hidden fields read from the page's HTML.
/// </summary>
internal sealed partial class SignInFlow(HttpClient client)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string Issuer => client.BaseAddress!.AbsoluteUri.TrimEnd('/');

    /// <summary>A new PKCE verifier (43 characters) and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>The authorize request's query for a client, with S256 PKCE unless <paramref name="more"/> changes it.</summary>
    public static Dictionary<string, string?> AuthorizeQuery(string clientId, string redirectUri, string challenge, params (string Name, string? Value)[] more)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid profile email",
            ["state"] = "state-" + Guid.NewGuid().ToString("N"),
            ["nonce"] = "nonce-" + Guid.NewGuid().ToString("N"),
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in more)
        {
            query[name] = value;
        }

        return query;
    }

    public Task<HttpResponseMessage> AuthorizeAsync(IDictionary<string, string?> query) =>
        GetAsync(QueryHelpers.AddQueryString(FuncAuthRoutes.Authorize, query.Where(p => p.Value is not null)));

    /// <summary>
    /// Authorizes, signing in on the page when FuncAuth asks for it; answers where FuncAuth finally sends the browser back
    /// to the client (the redirect URI with code, state and iss).
    /// </summary>
    public async Task<Uri> SignInAndAuthorizeAsync(IDictionary<string, string?> query, string username, string password)
    {
        using var authorize = await AuthorizeAsync(query);
        var location = LocationOf(authorize);
        if (location.AbsolutePath == "/" + FuncAuthRoutes.LoginPage)
        {
            using var page = await GetAsync(location.PathAndQuery.TrimStart('/'));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var fields = HiddenFields(await page.Content.ReadAsStringAsync());
            fields["username"] = username;
            fields["password"] = password;
            using var posted = await SendAsync(new HttpRequestMessage(HttpMethod.Post, FuncAuthRoutes.LoginPage) { Content = new FormUrlEncodedContent(fields) });
            Assert.True(posted.StatusCode == HttpStatusCode.SeeOther, $"The sign-in form answered {(int)posted.StatusCode}: {await posted.Content.ReadAsStringAsync()}");
            using var again = await GetAsync(LocationOf(posted).PathAndQuery.TrimStart('/'));
            location = LocationOf(again);
        }

        return location;
    }

    /// <summary>Exchanges a code at the token endpoint as the given (public) client.</summary>
    public Task<HttpResponseMessage> ExchangeAsync(string code, string clientId, string redirectUri, string verifier) =>
        client.PostAsync(FuncAuthRoutes.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }));

    public Task<HttpResponseMessage> GetAsync(string relative) => SendAsync(new HttpRequestMessage(HttpMethod.Get, relative));

    public static Uri LocationOf(HttpResponseMessage response)
    {
        Assert.True((int)response.StatusCode is >= 300 and < 400, $"Expected a redirect, got {(int)response.StatusCode}.");
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }

    public static Dictionary<string, string?> Query(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var lines))
        {
            foreach (var line in lines)
            {
                var pair = line.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                if (value.Length == 0 || line.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }

    private static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputTag().Matches(html))
        {
            var tag = input.Value;
            if (Attribute(tag, "type") == "hidden" && Attribute(tag, "name") is { } name)
            {
                fields[name] = Attribute(tag, "value") ?? string.Empty;
            }
        }

        return fields;
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"""\s{name}\s*=\s*"([^"]*)"|\s{name}\s*=\s*'([^']*)'""", RegexOptions.IgnoreCase);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value) : null;
    }

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputTag();
}
