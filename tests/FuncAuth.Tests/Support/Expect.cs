using System.Net;

namespace FuncAuth.Tests.Support;

/// <summary>The answers tests expect again and again, each spelled once: what the client must see, nothing more.</summary>
internal static class Expect
{
    /// <summary>An error with this status, as RFC 9457 problem+json (every error but token's and revoke's).</summary>
    public static void Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A storage fault: 503 problem+json that tells the client when to try again (5 s).</summary>
    public static void Unavailable(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static async Task UnavailableAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        Unavailable(response);
    }

    /// <summary>A 401 whose WWW-Authenticate is exactly <paramref name="challenge"/> (RFC 6750 §3).</summary>
    public static void Challenged(HttpResponseMessage response, string challenge)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Challenge());
    }

    /// <summary>A 401 that says the access token has been revoked.</summary>
    public static void Revoked(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("has been revoked", response.Challenge(), StringComparison.Ordinal);
    }

    /// <summary>Verify refuses <paramref name="accessToken"/> as revoked.</summary>
    public static async Task RevokedAsync(HttpClient client, string accessToken)
    {
        using var response = await client.VerifyAsync(accessToken);
        Revoked(response);
    }

    /// <summary>A refresh with <paramref name="refreshToken"/> is refused with invalid_grant.</summary>
    public static async Task InvalidGrantAsync(HttpClient client, string refreshToken)
    {
        using var response = await client.RefreshAsync(refreshToken);
        await OAuthErrorAsync(response, "invalid_grant");
    }

    /// <summary>
    /// An RFC 6749 §5.2 error: 400, a JSON object of exactly <c>error</c> and a non-blank <c>error_description</c>
    /// (not problem+json: OAuth clients parse this shape), never cached.
    /// </summary>
    public static async Task OAuthErrorAsync(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = await response.JsonAsync();
        Assert.Equal(["error", "error_description"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error_description").GetString()));
    }
}
