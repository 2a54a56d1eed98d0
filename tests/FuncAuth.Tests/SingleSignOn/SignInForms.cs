using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FuncAuth.Tests.SingleSignOn;

/// <summary>A browser's view of the sign-in pages over HTTP: a cookie jar, no automatic redirects, the forms' hidden fields read back.</summary>
internal static partial class SignInForms
{
    public const string Password = "correct horse battery";

    /// <summary>A client that keeps cookies and shows redirects instead of following them, at <paramref name="baseAddress"/>.</summary>
    public static HttpClient Browser(FuncAuthApp app, string baseAddress = "http://localhost/") =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    /// <summary>The page's HTML and the value of its anti-forgery field.</summary>
    public static async Task<(string Html, string Csrf)> FormAsync(this HttpClient client, string relative)
    {
        using var response = await client.GetAsync(relative);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (html, Hidden(html, "csrf") ?? throw new InvalidOperationException("The page has no csrf field."));
    }

    /// <summary>The value of the hidden input <paramref name="name"/>, decoded, or null.</summary>
    public static string? Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"<input type=\"hidden\" name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\">");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public static Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string relative, params (string Name, string? Value)[] fields) =>
        client.PostAsync(relative, new FormUrlEncodedContent(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value!))));

    /// <summary>Opens the sign-in page (with the authorization request's query, if any) and sends its form.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string username, string password = Password, string authorizeQuery = "")
    {
        var (html, csrf) = await client.FormAsync(FuncAuthRoutes.LoginPage + (authorizeQuery.Length == 0 ? string.Empty : "?" + authorizeQuery));
        return await client.PostFormAsync(
            FuncAuthRoutes.LoginPage, ("csrf", csrf), ("authorize", Hidden(html, "authorize")), ("username", username), ("password", password));
    }

    /// <summary>The Set-Cookie header the response set for <paramref name="name"/>.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    /// <summary>The text of the page's alert, or null.</summary>
    public static string? Alert(string html) =>
        AlertPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<p class=\"alert\" role=\"alert\" id=\"[^\"]*\">([^<]*)</p>")]
    private static partial Regex AlertPattern();
}
