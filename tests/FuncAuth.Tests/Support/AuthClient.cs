using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FuncAuth.Tests.Support;

/// <summary>The calls a client makes, spelled once for all tests.</summary>
public static class AuthClient
{
    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("api/auth/register", new { username, password });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string username, string password) =>
        client.PostAsJsonAsync("api/auth/login", new { username, password });

    public static Task<HttpResponseMessage> LoginWithFormAsync(this HttpClient client, string username, string password) =>
        client.PostAsync("api/auth/login", new FormUrlEncodedContent([new("username", username), new("password", password)]));

    public static Task<HttpResponseMessage> VerifyAsync(this HttpClient client, string token, HttpMethod? method = null) =>
        client.SendAsync(WithBearer(method ?? HttpMethod.Get, "api/auth/verify", token));

    public static Task<HttpResponseMessage> LogoutAsync(this HttpClient client, string token) =>
        client.SendAsync(WithBearer(HttpMethod.Post, "api/auth/logout", token));

    /// <summary>Registers and logs in; answers the access token.</summary>
    public static async Task<string> RegisterAndLoginAsync(this HttpClient client, string username, string password = "correct horse battery")
    {
        using var registered = await client.RegisterAsync(username, password);
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        using var login = await client.LoginAsync(username, password);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return await login.AccessTokenAsync();
    }

    public static async Task<string> AccessTokenAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task<JsonDocument> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    public static string Challenge(this HttpResponseMessage response) =>
        string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));

    public static HttpRequestMessage WithBearer(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public static string NewUsername() => $"user-{Guid.NewGuid():N}"[..20];
}
