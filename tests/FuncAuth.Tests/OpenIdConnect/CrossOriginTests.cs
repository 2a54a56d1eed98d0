using System.Net;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// CORS for single-page apps: discovery and the keys are readable from any origin; the token and revocation endpoints
/// only from a registered client's origin (that of one of its redirect URIs), named back exactly and never with
/// credentials; nothing else (the pages, login) answers CORS at all.
/// </summary>
public sealed class CrossOriginTests(StorageFixture storage)
{
    private const string SpaOrigin = "https://spa.test";

    [Theory]
    [InlineData(".well-known/openid-configuration")]
    [InlineData(".well-known/oauth-authorization-server")]
    [InlineData(".well-known/jwks.json")]
    public async Task Public_documents_are_readable_from_any_origin(string path)
    {
        await using var app = OidcFixture.App(storage);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://anywhere.example");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData(SpaOrigin, true)]
    [InlineData("https://web.test", true)]
    [InlineData("https://evil.test", false)]
    [InlineData("https://spa.test.evil.test", false)]
    [InlineData("http://spa.test", false)]
    public async Task The_token_endpoint_answers_cors_only_to_registered_client_origins(string origin, bool allowed)
    {
        await using var app = OidcFixture.App(storage);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "nope" }),
        };
        request.Headers.Add("Origin", origin);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Origin", response.Headers.Vary);
        if (allowed)
        {
            Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        }
        else
        {
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }

        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("api/auth/login")]
    [InlineData("auth/login")]
    public async Task Other_endpoints_answer_no_cors(string path)
    {
        await using var app = OidcFixture.App(storage);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", SpaOrigin);
        using var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
