using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Admin;

/// <summary>
/// <c>GET api/admin/users</c>: pages followed by their cursors list every user exactly once; a prefix lists the names that
/// start with it as names are compared (case-folded, non-ASCII, not on a 3-byte boundary); bad limits and cursors are 400.
/// </summary>
public sealed class AdminUserListTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task Pages_of_two_followed_by_their_cursors_list_every_user_once()
    {
        var (adminId, token, _) = await Client.NewAdminAsync(App);
        var ids = new HashSet<string> { adminId };
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Client.RegisterUserAsync(AuthClient.NewUsername()));
        }

        var (seen, pages) = await ListAllAsync(token, "limit=2");
        Assert.Equal(ids.Order(), seen.Select(u => u.GetProperty("id").GetString()!).Order());
        Assert.True(pages >= 3, $"{pages} pages for 6 users at 2 a page.");

        var admin = Assert.Single(seen, u => u.GetProperty("id").GetString() == adminId);
        Assert.Equal([AdminApi.AdminRole], AdminApi.RolesOf(admin));
        Assert.False(admin.GetProperty("disabled").GetBoolean());
        Assert.False(admin.GetProperty("mfa_enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("locked_until").ValueKind);
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("email").ValueKind);
        Assert.True(admin.GetProperty("created_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.True(admin.GetProperty("last_sign_in_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Contains(App.Logs.Events, e => e.Id == 4125);
    }

    [Fact]
    public async Task A_prefix_lists_the_names_that_start_with_it_as_names_are_compared()
    {
        var (_, token, _) = await Client.NewAdminAsync(App);
        var stem = $"p{Guid.NewGuid():N}"[..9];
        var matching = new[] { $"{stem}Ärger", $"{stem}ärmel", $"{stem}ÄRZTIN" };
        var others = new[] { $"{stem}Arzt", $"{stem}b", $"x{stem}ä" };
        var ids = new Dictionary<string, string>();
        foreach (var name in matching.Concat(others))
        {
            ids[name] = await Client.RegisterUserAsync(name);
        }

        // "ä" folds the same in any case; the stem's 9 ASCII bytes and ä's 2 bytes are 11: not a whole number of 3-byte groups.
        foreach (var (prefix, expected) in new[]
        {
            ($"{stem.ToUpperInvariant()}Ä", matching),
            ($"{stem}ä", matching),
            ($"{stem}ÄRM", [$"{stem}ärmel"]),
            ($"{stem}a", [$"{stem}Arzt"]),
        })
        {
            var (seen, _) = await ListAllAsync(token, $"limit=2&prefix={Uri.EscapeDataString(prefix)}");
            Assert.Equal(expected.Select(n => ids[n]).Order(), seen.Select(u => u.GetProperty("id").GetString()!).Order());
        }

        // A prefix shorter than one 3-byte group (no key range at all) still filters exactly.
        var (short1, _) = await ListAllAsync(token, "limit=500&prefix=x");
        Assert.Contains(short1, u => u.GetProperty("id").GetString() == ids[$"x{stem}ä"]);
        Assert.All(short1, u => Assert.StartsWith("x", u.GetProperty("username").GetString()!, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=%2B5", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=eyJjIjoiYSJ9", "cursor")]
    [InlineData("prefix=%E2%80%8B", "prefix")]
    public async Task A_bad_limit_cursor_or_prefix_is_400_naming_it(string query, string field)
    {
        var (_, token, _) = await Client.NewAdminAsync(App);
        using var response = await Client.ListAsync(token, "?" + query);
        Expect.Problem(response, HttpStatusCode.BadRequest);
        using var json = await response.JsonAsync();
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), query);
    }

    [Fact]
    public async Task A_cursor_made_for_one_prefix_is_refused_with_another()
    {
        var (_, token, _) = await Client.NewAdminAsync(App);
        for (var i = 0; i < 3; i++)
        {
            await Client.RegisterUserAsync($"cur{i}{Guid.NewGuid():N}"[..16]);
        }

        string? cursor;
        using (var first = await Client.ListAsync(token, "?limit=1&prefix=cur"))
        {
            using var json = await first.JsonAsync();
            cursor = json.RootElement.GetProperty("next_cursor").GetString();
        }

        Assert.NotNull(cursor);
        using var other = await Client.ListAsync(token, $"?limit=1&prefix=cus&cursor={cursor}");
        Expect.Problem(other, HttpStatusCode.BadRequest);
        using var none = await Client.ListAsync(token, $"?limit=1&cursor={cursor}");
        Expect.Problem(none, HttpStatusCode.BadRequest);
        using var same = await Client.ListAsync(token, $"?limit=1&prefix=CUR&cursor={cursor}");
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    /// <summary>Follows next_cursor to the end; answers every user seen and how many pages it took.</summary>
    private async Task<(List<JsonElement> Users, int Pages)> ListAllAsync(string token, string query)
    {
        var users = new List<JsonElement>();
        var pages = 0;
        string? cursor = null;
        do
        {
            using var response = await Client.ListAsync(token, "?" + query + (cursor is null ? string.Empty : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = await response.JsonAsync();
            var page = json.RootElement.GetProperty("users").EnumerateArray().Select(u => u.Clone()).ToList();
            Assert.True(page.Count <= 500);
            users.AddRange(page);
            cursor = json.RootElement.GetProperty("next_cursor").GetString();
            pages++;
            Assert.True(pages < 100, "The cursors never ended.");
        }
        while (cursor is not null);

        Assert.Equal(users.Count, users.Select(u => u.GetProperty("id").GetString()).Distinct().Count());
        return (users, pages);
    }
}
