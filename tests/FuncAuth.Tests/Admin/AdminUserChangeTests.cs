using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Admin;

/// <summary>
/// What an administrator does to a user, through the real pipeline on real tables: read, change roles, disable (the user's
/// tokens refused on another instance within the bound, refresh refused, enabling revives nothing), delete, sign out
/// everywhere, unlock; concurrent changes all land; every action is logged naming the administrator, action and user.
/// </summary>
public sealed class AdminUserChangeTests(StorageFixture storage)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reading_a_user_shows_the_account_and_an_unknown_or_malformed_id_is_the_same_404()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);

        using (var read = await client.GetUserAsync(token, id))
        {
            var user = await read.UserAsync();
            Assert.Equal(id, user.GetProperty("id").GetString());
            Assert.Equal(username, user.GetProperty("username").GetString());
            Assert.Empty(AdminApi.RolesOf(user));
            Assert.False(user.GetProperty("email_confirmed").GetBoolean());
            Assert.Equal(System.Text.Json.JsonValueKind.Null, user.GetProperty("last_sign_in_at").ValueKind);
        }

        string? detail = null;
        foreach (var unknown in new[] { Guid.NewGuid().ToString("D"), "not an id!", new string('a', 129), "import" })
        {
            using var missing = await client.GetUserAsync(token, unknown);
            Expect.Problem(missing, HttpStatusCode.NotFound);
            var body = await missing.Content.ReadAsStringAsync();
            Assert.DoesNotContain(unknown, body, StringComparison.Ordinal);
            using var json = await missing.JsonAsync();
            detail ??= json.RootElement.GetProperty("detail").GetString();
            Assert.Equal(detail, json.RootElement.GetProperty("detail").GetString());
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator {adminId} read user {id}.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_roles_replaces_the_set_validates_the_names_and_is_logged()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);
        var id = await client.RegisterUserAsync(AuthClient.NewUsername());

        using (var changed = await client.PatchUserAsync(token, id, new { roles = new[] { "writer", "reader", "writer" } }))
        {
            Assert.Equal(["reader", "writer"], AdminApi.RolesOf(await changed.UserAsync()));
        }

        using (var read = await client.GetUserAsync(token, id))
        {
            var user = await read.UserAsync();
            Assert.Equal(["reader", "writer"], AdminApi.RolesOf(user));
            Assert.False(user.GetProperty("disabled").GetBoolean());
        }

        foreach (var bad in new object[] { new { roles = new[] { "has space" } }, new { roles = new[] { "-leading" } }, new { roles = new string?[] { null } } })
        {
            using var refused = await client.PatchUserAsync(token, id, bad);
            Expect.Problem(refused, HttpStatusCode.BadRequest);
            using var json = await refused.JsonAsync();
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("roles", out _));
        }

        using (var tooMany = await client.PatchUserAsync(token, id, new { roles = Enumerable.Range(0, 33).Select(i => $"r{i}").ToArray() }))
        {
            Expect.Problem(tooMany, HttpStatusCode.BadRequest);
        }

        using (var empty = await client.PatchUserAsync(token, id, new { }))
        {
            Expect.Problem(empty, HttpStatusCode.BadRequest);
        }

        using (var unknownField = await client.PatchUserAsync(token, Guid.NewGuid().ToString("D"), new { disabled = false }))
        {
            Expect.Problem(unknownField, HttpStatusCode.NotFound);
        }

        using (var cleared = await client.PatchUserAsync(token, id, new { roles = Array.Empty<string>() }))
        {
            Assert.Empty(AdminApi.RolesOf(await cleared.UserAsync()));
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator {adminId} changed user {id}: roles [reader writer], disabled False.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_administrator_cannot_disable_themselves_drop_their_own_admin_role_or_delete_themselves()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);

        foreach (var change in new object[] { new { disabled = true }, new { roles = new[] { "reader" } } })
        {
            using var refused = await client.PatchUserAsync(token, adminId, change);
            Expect.Problem(refused, HttpStatusCode.Conflict);
        }

        using (var deletion = await client.DeleteUserAsync(token, adminId))
        {
            Expect.Problem(deletion, HttpStatusCode.Conflict);
        }

        // Still an administrator; adding a role to oneself is allowed.
        using var added = await client.PatchUserAsync(token, adminId, new { roles = new[] { AdminApi.AdminRole, "reader" } });
        Assert.Equal([AdminApi.AdminRole, "reader"], AdminApi.RolesOf(await added.UserAsync()));
        Assert.Contains(app.Logs.Events, e => e.Id == 4132);
    }

    [Fact]
    public async Task Disabling_refuses_the_users_tokens_on_another_instance_within_the_bound_and_enabling_revives_nothing()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString);
        await using var b = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var (adminId, token, _) = await clientA.NewAdminAsync(a);
        var username = AuthClient.NewUsername();
        var id = await clientA.RegisterUserAsync(username);
        var (access, refresh) = await clientB.StartSessionAsync(username, AdminApi.Password);
        using (var before = await clientB.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var disabled = await clientA.PatchUserAsync(token, id, new { disabled = true }))
        {
            Assert.True((await disabled.UserAsync()).GetProperty("disabled").GetBoolean());
        }

        var since = Stopwatch.StartNew();
        await AssertRefusedWithinBound(clientB, since, access);
        await Expect.InvalidGrantAsync(clientB, refresh);

        using (var enabled = await clientA.PatchUserAsync(token, id, new { disabled = false }))
        {
            Assert.False((await enabled.UserAsync()).GetProperty("disabled").GetBoolean());
        }

        // Nothing comes back; a new sign-in works.
        using (var still = await clientB.VerifyAsync(access))
        {
            Expect.Revoked(still);
        }

        await Expect.InvalidGrantAsync(clientA, refresh);
        var (fresh, _) = await clientB.StartSessionAsync(username, AdminApi.Password);
        using (var works = await clientA.VerifyAsync(fresh))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        Assert.Contains(a.Logs.Lines, l => l.Contains($"Administrator {adminId} changed user {id}: roles [], disabled True.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_changes_of_roles_and_disabled_all_land()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (_, token, _) = await client.NewAdminAsync(app);
        for (var round = 0; round < 3; round++)
        {
            var id = await client.RegisterUserAsync(AuthClient.NewUsername());
            var requests = Enumerable.Range(0, 8)
                .Select(i => i % 2 == 0
                    ? client.PatchUserAsync(token, id, new { roles = new[] { "auditor" } })
                    : client.PatchUserAsync(token, id, new { disabled = true }))
                .ToList();
            foreach (var response in await Task.WhenAll(requests))
            {
                using (response)
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }

            using var read = await client.GetUserAsync(token, id);
            var user = await read.UserAsync();
            Assert.Equal(["auditor"], AdminApi.RolesOf(user));
            Assert.True(user.GetProperty("disabled").GetBoolean());
        }
    }

    [Fact]
    public async Task Deleting_a_user_revokes_their_tokens_and_frees_the_name_and_the_id_is_gone()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        var (access, refresh) = await client.StartSessionAsync(username, AdminApi.Password);

        using (var deleted = await client.DeleteUserAsync(token, id))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await Expect.RevokedAsync(client, access);
        await Expect.InvalidGrantAsync(client, refresh);
        using (var gone = await client.GetUserAsync(token, id))
        {
            Expect.Problem(gone, HttpStatusCode.NotFound);
        }

        using (var again = await client.DeleteUserAsync(token, id))
        {
            Expect.Problem(again, HttpStatusCode.NotFound);
        }

        using (var login = await client.LoginAsync(username, AdminApi.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }

        var newId = await client.RegisterUserAsync(username);
        Assert.NotEqual(id, newId);
        using (var fresh = await client.GetUserAsync(token, newId))
        {
            var user = await fresh.UserAsync();
            Assert.Equal(JsonNull, user.GetProperty("last_sign_in_at").ValueKind);
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator {adminId} deleted user {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ending_a_users_sessions_signs_them_out_everywhere_and_they_can_sign_in_again()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        var (first, firstRefresh) = await client.StartSessionAsync(username, AdminApi.Password);
        var (second, secondRefresh) = await client.StartSessionAsync(username, AdminApi.Password);

        using (var ended = await client.EndUserSessionsAsync(token, id))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        await Expect.RevokedAsync(client, first);
        await Expect.RevokedAsync(client, second);
        await Expect.InvalidGrantAsync(client, firstRefresh);
        await Expect.InvalidGrantAsync(client, secondRefresh);
        using (var verified = await client.VerifyAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        var (fresh, _) = await client.StartSessionAsync(username, AdminApi.Password);
        using (var works = await client.VerifyAsync(fresh))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using (var unknown = await client.EndUserSessionsAsync(token, Guid.NewGuid().ToString("D")))
        {
            Expect.Problem(unknown, HttpStatusCode.NotFound);
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator {adminId} signed user {id} out everywhere", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unlocking_a_locked_user_lets_the_right_password_in_again()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (adminId, token, _) = await client.NewAdminAsync(app);
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.LoginAsync(username, "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var locked = await client.LoginAsync(username, AdminApi.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        using (var read = await client.GetUserAsync(token, id))
        {
            var lockedUntil = (await read.UserAsync()).GetProperty("locked_until").GetDateTimeOffset();
            Assert.True(lockedUntil > DateTimeOffset.UtcNow);
        }

        using (var unlocked = await client.UnlockUserAsync(token, id))
        {
            Assert.Equal(HttpStatusCode.NoContent, unlocked.StatusCode);
        }

        using (var read = await client.GetUserAsync(token, id))
        {
            Assert.Equal(JsonNull, (await read.UserAsync()).GetProperty("locked_until").ValueKind);
        }

        using (var login = await client.LoginAsync(username, AdminApi.Password))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var unknown = await client.UnlockUserAsync(token, "no-such-user"))
        {
            Expect.Problem(unknown, HttpStatusCode.NotFound);
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator {adminId} cleared the lockout of user {id}.", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(AdminApi.Password, StringComparison.Ordinal) || l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_storage_fault_is_503_with_retry_after_and_changes_nothing()
    {
        var outage = new UsersOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString) { TestServices = services => services.AddSingleton<HttpPipelinePolicy>(outage) };
        using var client = app.CreateClient();
        var (_, token, _) = await client.NewAdminAsync(app);
        var id = await client.RegisterUserAsync(AuthClient.NewUsername());
        outage.Failing = true;
        await Expect.UnavailableAsync(client.GetUserAsync(token, id));
        await Expect.UnavailableAsync(client.PatchUserAsync(token, id, new { disabled = true }));
        await Expect.UnavailableAsync(client.ListAsync(token));
        outage.Failing = false;

        using var read = await client.GetUserAsync(token, id);
        Assert.False((await read.UserAsync()).GetProperty("disabled").GetBoolean());
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    private static Dictionary<string, string?> SharedTables(FuncAuthApp app) =>
        FuncAuthApp.TableSettings.ToDictionary(setting => setting, setting => (string?)app.Setting(setting));

    /// <summary>Polls until a while past the bound: the token accepted at most until the bound, refused from then on.</summary>
    private static async Task AssertRefusedWithinBound(HttpClient client, Stopwatch since, string token)
    {
        var refused = false;
        while (since.Elapsed < Bound + TimeSpan.FromSeconds(1))
        {
            var asked = since.Elapsed;
            using var response = await client.VerifyAsync(token);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                Assert.Contains("has been revoked", response.Challenge(), StringComparison.Ordinal);
                refused = true;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.False(refused, "Accepted again after it had been refused.");
                Assert.True(asked < Bound, $"Still accepted {asked.TotalMilliseconds:F0} ms after the disabling; the bound is {Bound.TotalMilliseconds} ms.");
            }

            await Task.Delay(50);
        }

        Assert.True(refused);
    }

    /// <summary>While <see cref="Failing"/>, the Users table's id index reads and queries fail as a dropped connection would.</summary>
    private sealed class UsersOutage : InspectingPolicy
    {
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        protected override void Inspect(HttpMessage message)
        {
            var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
            if (_failing && uri.Contains("/Users", StringComparison.Ordinal) && (uri.Contains("'id.", StringComparison.Ordinal) || uri.Contains("$filter", StringComparison.Ordinal)))
            {
                throw new IOException("Simulated outage: the connection was dropped.");
            }
        }
    }
}
