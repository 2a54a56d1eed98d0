using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Admin;

/// <summary>The admin API's calls, and the users its tests need (an administrator, a plain user), spelled once.</summary>
internal static class AdminApi
{
    public const string Password = "correct horse battery";

    public const string AdminRole = "funcauth-admin";

    public static Task<HttpResponseMessage> ListAsync(this HttpClient client, string token, string query = "") =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, "api/admin/users" + query, token));

    public static Task<HttpResponseMessage> GetUserAsync(this HttpClient client, string token, string id) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, $"api/admin/users/{Uri.EscapeDataString(id)}", token));

    public static Task<HttpResponseMessage> PatchUserAsync(this HttpClient client, string token, string id, object body)
    {
        var request = AuthClient.WithBearer(HttpMethod.Patch, $"api/admin/users/{Uri.EscapeDataString(id)}", token);
        request.Content = JsonContent.Create(body);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> DeleteUserAsync(this HttpClient client, string token, string id) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Delete, $"api/admin/users/{Uri.EscapeDataString(id)}", token));

    public static Task<HttpResponseMessage> EndUserSessionsAsync(this HttpClient client, string token, string id) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Delete, $"api/admin/users/{Uri.EscapeDataString(id)}/sessions", token));

    public static Task<HttpResponseMessage> UnlockUserAsync(this HttpClient client, string token, string id) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, $"api/admin/users/{Uri.EscapeDataString(id)}/unlock", token));

    /// <summary>Registers a user; answers their id.</summary>
    public static async Task<string> RegisterUserAsync(this HttpClient client, string username)
    {
        using var registered = await client.RegisterAsync(username, Password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var json = await registered.JsonAsync();
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A new administrator: registered, given the admin role on the account (as the bootstrap or another administrator
    /// would), then signed in, so the token carries the role. Answers their id and access and refresh tokens.
    /// </summary>
    public static async Task<(string Id, string Access, string Refresh)> NewAdminAsync(this HttpClient client, FuncAuthApp app)
    {
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        await SetRolesAsync(app, username, AdminRole);
        var (access, refresh) = await client.StartSessionAsync(username, Password);
        return (id, access, refresh);
    }

    /// <summary>Sets the account's roles behind the API's back (its stored, space-separated form).</summary>
    public static async Task SetRolesAsync(FuncAuthApp app, string username, params string[] roles)
    {
        Assert.True(Username.TryCreate(username, out var name, out _));
        await app.Table("FuncAuth:Storage:UsersTableName").UpdateEntityAsync(
            new TableEntity(name!.Key, "account") { ["Roles"] = string.Join(' ', roles) }, ETag.All, TableUpdateMode.Merge);
    }

    /// <summary>A 200 answer's user.</summary>
    public static async Task<JsonElement> UserAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        return json.RootElement.Clone();
    }

    public static string[] RolesOf(JsonElement user) => [.. user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!)];
}
