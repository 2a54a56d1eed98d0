using System.Net;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Admin;

/// <summary>
/// Who may use the admin API: a user holding the admin role in the token and still on the account, not disabled. No
/// token is 401; a plain user, an administrator whose role was taken away (while the old token still carries it) and a
/// disabled administrator are 403 insufficient_scope, and each refusal is logged.
/// </summary>
public sealed class AdminAccessTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task Without_a_token_every_admin_endpoint_is_401_with_a_bearer_challenge()
    {
        var id = Guid.NewGuid().ToString("D");
        foreach (var (method, path) in Routes(id))
        {
            using var response = await Client.SendAsync(new HttpRequestMessage(method, path));
            Expect.Problem(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Challenge());
        }
    }

    [Fact]
    public async Task A_plain_users_token_is_403_insufficient_scope_on_every_admin_endpoint()
    {
        var username = AuthClient.NewUsername();
        var id = await Client.RegisterUserAsync(username);
        var (token, _) = await Client.StartSessionAsync(username, AdminApi.Password);
        foreach (var (method, path) in Routes(id))
        {
            using var request = AuthClient.WithBearer(method, path, token);
            if (method == HttpMethod.Patch)
            {
                request.Content = System.Net.Http.Json.JsonContent.Create(new { disabled = true });
            }

            using var response = await Client.SendAsync(request);
            Expect.Problem(response, HttpStatusCode.Forbidden);
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", response.Challenge(), StringComparison.Ordinal);
        }

        // Nothing was done to the user: still enabled, and the token still works.
        using var verified = await Client.VerifyAsync(token);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Contains(App.Logs.Events, e => e.Id == 4131);
    }

    [Fact]
    public async Task An_administrator_whose_role_was_taken_away_is_refused_at_once_though_the_token_still_carries_it()
    {
        var (adminId, adminToken, _) = await Client.NewAdminAsync(App);
        var (otherId, otherToken, _) = await Client.NewAdminAsync(App);
        using (var allowed = await Client.GetUserAsync(adminToken, otherId))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var demoted = await Client.PatchUserAsync(otherToken, adminId, new { roles = Array.Empty<string>() }))
        {
            Assert.Empty(AdminApi.RolesOf(await demoted.UserAsync()));
        }

        using var refused = await Client.GetUserAsync(adminToken, otherId);
        Expect.Problem(refused, HttpStatusCode.Forbidden);
        Assert.Contains("no longer holds the administrator role", refused.Challenge(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_administrator_is_refused()
    {
        var (adminId, _, _) = await Client.NewAdminAsync(App);
        var (otherId, otherToken, _) = await Client.NewAdminAsync(App);

        // Disabled behind the API's back, so the administrator's own token is not revoked by the disabling.
        var username = (await (await Client.GetUserAsync(otherToken, adminId)).UserAsync()).GetProperty("username").GetString()!;
        var (token, _) = await Client.StartSessionAsync(username, AdminApi.Password);
        Assert.True(FuncAuth.Accounts.Username.TryCreate(username, out var name, out _));
        await App.Table("FuncAuth:Storage:UsersTableName").UpdateEntityAsync(
            new Azure.Data.Tables.TableEntity(name!.Key, "account") { ["Disabled"] = true }, Azure.ETag.All);

        using var refused = await Client.GetUserAsync(token, otherId);
        Expect.Problem(refused, HttpStatusCode.Forbidden);
        Assert.Contains("disabled", refused.Challenge(), StringComparison.Ordinal);
    }

    private static (HttpMethod Method, string Path)[] Routes(string id) =>
    [
        (HttpMethod.Get, "api/admin/users"),
        (HttpMethod.Get, $"api/admin/users/{id}"),
        (HttpMethod.Patch, $"api/admin/users/{id}"),
        (HttpMethod.Delete, $"api/admin/users/{id}"),
        (HttpMethod.Delete, $"api/admin/users/{id}/sessions"),
        (HttpMethod.Post, $"api/admin/users/{id}/unlock"),
    ];
}
