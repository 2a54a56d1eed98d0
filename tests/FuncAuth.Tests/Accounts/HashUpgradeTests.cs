using System.Net;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Accounts;

/// <summary>Raising the cost upgrades each stored hash at that user's next successful login.</summary>
public sealed class HashUpgradeTests(StorageFixture storage)
{
    [Fact]
    public async Task A_login_after_the_cost_was_raised_rewrites_the_hash_at_the_new_cost()
    {
        var username = AuthClient.NewUsername();
        await using var before = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Passwords:Iterations"] = "1000" });
        using (var client = before.CreateClient())
        {
            await client.RegisterAndLoginAsync(username);
        }

        Assert.StartsWith("$pbkdf2-sha256$i=1000$", await StoredHashAsync(before), StringComparison.Ordinal);

        await using var after = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Passwords:Iterations"] = "2000",
            ["FuncAuth:Storage:UsersTableName"] = before.Setting("FuncAuth:Storage:UsersTableName"),
        });
        using var upgraded = after.CreateClient();

        using (var wrong = await upgraded.LoginAsync(username, "not the password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        Assert.StartsWith("$pbkdf2-sha256$i=1000$", await StoredHashAsync(before), StringComparison.Ordinal);

        using (var right = await upgraded.LoginAsync(username, "correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        Assert.StartsWith("$pbkdf2-sha256$i=2000$", await StoredHashAsync(before), StringComparison.Ordinal);
        using var again = await upgraded.LoginAsync(username, "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    private static async Task<string> StoredHashAsync(FuncAuthApp app)
    {
        await foreach (var user in app.Table("FuncAuth:Storage:UsersTableName").QueryAsync<TableEntity>())
        {
            return user.GetString("PasswordHash");
        }

        throw new InvalidOperationException("No user stored.");
    }
}
