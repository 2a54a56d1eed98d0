using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Admin;

/// <summary>
/// User ids are unique and findable: the id index in the Users table (<c>id.&lt;id&gt;</c> / <c>user</c>) is claimed before
/// the account is added, decided by the table among racing adds, given back when the name is taken, taken over only when
/// stale; an account from before the index is found by a scan and indexed; a deletion removes the index row.
/// </summary>
public sealed class UserIdIndexTests(StorageFixture storage)
{
    [Fact]
    public async Task An_id_another_account_has_is_refused_and_the_name_stays_free()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var users = app.Services.GetRequiredService<UserStore>();
        var id = $"legacy-{Guid.NewGuid():N}";
        Assert.Equal(UserAdded.Added, await users.TryAddAsync(Account(AuthClient.NewUsername(), id), default));

        var second = AuthClient.NewUsername();
        Assert.Equal(UserAdded.IdTaken, await users.TryAddAsync(Account(second, id), default));
        Assert.Null(await users.FindAsync(Name(second), default));

        // The same account added again (an SDK retry, an import run twice) is its own claim: the name is what is taken.
        var taken = await users.FindByIdAsync(id, default);
        Assert.NotNull(taken);
        Assert.Equal(UserAdded.UsernameTaken, await users.TryAddAsync(Account(taken!.Username, Guid.NewGuid().ToString("D")), default));
    }

    [Fact]
    public async Task A_name_taken_gives_the_id_claim_back()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var users = app.Services.GetRequiredService<UserStore>();
        var username = AuthClient.NewUsername();
        Assert.Equal(UserAdded.Added, await users.TryAddAsync(Account(username, Guid.NewGuid().ToString("D")), default));

        var loser = Guid.NewGuid().ToString("D");
        Assert.Equal(UserAdded.UsernameTaken, await users.TryAddAsync(Account(username, loser), default));
        Assert.False((await Index(app).GetEntityIfExistsAsync<TableEntity>($"id.{loser}", "user")).HasValue);
        Assert.Equal(UserAdded.Added, await users.TryAddAsync(Account(AuthClient.NewUsername(), loser), default));
    }

    [Fact]
    public async Task Racing_adds_of_one_id_under_different_names_add_exactly_one()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var users = app.Services.GetRequiredService<UserStore>();
        for (var round = 0; round < 3; round++)
        {
            var id = $"race.{Guid.NewGuid():N}";
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => users.TryAddAsync(Account(AuthClient.NewUsername(), id), default))));
            Assert.Equal(1, outcomes.Count(o => o == UserAdded.Added));
            Assert.All(outcomes.Where(o => o != UserAdded.Added), o => Assert.Equal(UserAdded.IdTaken, o));
        }
    }

    [Fact]
    public async Task A_claim_without_its_account_is_taken_over_only_once_stale()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = clock };
        var users = app.Services.GetRequiredService<UserStore>();
        var id = Guid.NewGuid().ToString("D");

        // A claim whose account never got written (an add that stopped halfway), just now.
        Assert.Null(await users.FindByIdAsync(id, default));
        await Index(app).AddEntityAsync(new TableEntity($"id.{id}", "user") { ["Key"] = Name(AuthClient.NewUsername()).Key, ["ClaimedAt"] = clock.GetUtcNow() });
        var username = AuthClient.NewUsername();
        Assert.Equal(UserAdded.IdTaken, await users.TryAddAsync(Account(username, id), default));

        clock.Advance(UserStore.IdClaimGrace);
        Assert.Equal(UserAdded.Added, await users.TryAddAsync(Account(username, id), default));
        Assert.Equal(username, (await users.FindByIdAsync(id, default))?.Username);
    }

    [Fact]
    public async Task An_account_from_before_the_index_is_found_by_id_and_indexed()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var users = app.Services.GetRequiredService<UserStore>();
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        await Index(app).DeleteEntityAsync($"id.{id}", "user");

        Assert.Equal(username, (await users.FindByIdAsync(id, default))?.Username);
        var written = await Index(app).GetEntityIfExistsAsync<TableEntity>($"id.{id}", "user");
        Assert.True(written.HasValue);
        Assert.Equal(Name(username).Key, written.Value!.GetString("Key"));
        Assert.Null(await users.FindByIdAsync(Guid.NewGuid().ToString("D"), default));
        Assert.Null(await users.FindByIdAsync("x' or RowKey eq 'account", default));
    }

    [Fact]
    public async Task Deleting_an_account_removes_its_index_and_activity_rows()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (_, token, _) = await client.NewAdminAsync(app);
        var username = AuthClient.NewUsername();
        var id = await client.RegisterUserAsync(username);
        _ = await client.StartSessionAsync(username, AdminApi.Password);
        Assert.True((await Index(app).GetEntityIfExistsAsync<TableEntity>(Name(username).Key, "activity")).HasValue);

        using (var deleted = await client.DeleteUserAsync(token, id))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.False((await Index(app).GetEntityIfExistsAsync<TableEntity>($"id.{id}", "user")).HasValue);
        Assert.False((await Index(app).GetEntityIfExistsAsync<TableEntity>(Name(username).Key, "activity")).HasValue);
    }

    [Theory]
    [InlineData("0b9e6c1e-8d1f-4c7a-9e55-3f1f2f6a7b10", true)]
    [InlineData("user_42.old-system", true)]
    [InlineData("", false)]
    [InlineData(".hidden", false)]
    [InlineData("has space", false)]
    [InlineData("a/b", false)]
    [InlineData("quote'", false)]
    public void The_id_rule(string id, bool valid) => Assert.Equal(valid, UserIds.IsValid(id));

    private static TableClient Index(FuncAuthApp app) => app.Table("FuncAuth:Storage:UsersTableName");

    private static Username Name(string username)
    {
        Assert.True(Username.TryCreate(username, out var name, out _));
        return name!;
    }

    private static UserAccount Account(string username, string id) =>
        new(Name(username).Key, id, Name(username).Display, "not-a-hash", default, SecurityStamp: SecurityStamp.New(), CreatedAt: DateTimeOffset.UtcNow);
}
