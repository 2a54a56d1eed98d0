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

    /// <summary>Registers and logs in; answers the session's access and refresh tokens.</summary>
    public static async Task<(string Access, string Refresh)> RegisterAndStartSessionAsync(
        this HttpClient client, string username, string password = "correct horse battery")
    {
        using var registered = await client.RegisterAsync(username, password);
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        return await client.StartSessionAsync(username, password);
    }

    /// <summary>Logs in; answers the new session's access and refresh tokens.</summary>
    public static async Task<(string Access, string Refresh)> StartSessionAsync(this HttpClient client, string username, string password = "correct horse battery")
    {
        using var login = await client.LoginAsync(username, password);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        return await login.TokensAsync();
    }

    public static async Task<(string Access, string Refresh)> TokensAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return (json.RootElement.GetProperty("access_token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    /// <summary>POST api/auth/token with these form parameters.</summary>
    public static Task<HttpResponseMessage> TokenAsync(this HttpClient client, params (string Name, string Value)[] parameters) =>
        client.PostAsync("api/auth/token", new FormUrlEncodedContent(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))));

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string refreshToken) =>
        client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public static Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string token, string? hint = null) =>
        client.PostAsync("api/auth/revoke", new FormUrlEncodedContent(
            hint is null ? [new("token", token)] : [new("token", token), new("token_type_hint", hint)]));

    public static Task<HttpResponseMessage> SessionsAsync(this HttpClient client, string token) =>
        client.SendAsync(WithBearer(HttpMethod.Get, "api/auth/sessions", token));

    public static Task<HttpResponseMessage> EndSessionAsync(this HttpClient client, string token, string sessionId) =>
        client.SendAsync(WithBearer(HttpMethod.Delete, $"api/auth/sessions/{sessionId}", token));

    public static Task<HttpResponseMessage> LogoutEverywhereAsync(this HttpClient client, string token) =>
        client.SendAsync(WithBearer(HttpMethod.Post, "api/auth/logout?scope=global", token));

    public static Task<HttpResponseMessage> ChangePasswordAsync(this HttpClient client, string token, string current, string next)
    {
        var request = WithBearer(HttpMethod.Post, "api/auth/password", token);
        request.Content = JsonContent.Create(new Dictionary<string, string> { ["current_password"] = current, ["new_password"] = next });
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteAccountAsync(this HttpClient client, string token, string password)
    {
        var request = WithBearer(HttpMethod.Delete, "api/auth/account", token);
        request.Content = JsonContent.Create(new Dictionary<string, string> { ["password"] = password });
        return client.SendAsync(request);
    }

    /// <summary>The <c>sid</c> claim of an access token (read without validation: tests only).</summary>
    public static string SessionIdOf(string accessToken) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(accessToken).GetClaim("sid").Value;

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
