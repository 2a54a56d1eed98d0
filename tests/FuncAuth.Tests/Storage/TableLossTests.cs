using System.Net;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Storage;

/// <summary>
/// A table deleted while the app runs is never recreated empty, which would silently let logged-out tokens pass
/// and free every name: the app answers 503, logs a critical event, and keeps refusing until it is restarted.
/// </summary>
public sealed class TableLossTests(StorageFixture storage)
{
    private const string Password = "correct horse battery";

    private static readonly Dictionary<string, string?> FastSync = new()
    {
        ["FuncAuth:Revocation:SyncInterval"] = "00:00:00.2",
        ["FuncAuth:Revocation:MaxStaleness"] = "00:00:00.5",
    };

    [Fact]
    public async Task A_deleted_revocation_list_is_not_recreated_and_verify_fails_closed()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, FastSync);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var loggedOut = await client.RegisterAndLoginAsync(username, Password);
        using (var logout = await client.LogoutAsync(loggedOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var login = await client.LoginAsync(username, Password);
        var live = await login.AccessTokenAsync();
        var table = app.Table("FuncAuth:Storage:RevokedTokensTableName");
        await table.DeleteAsync();

        // Until the state is older than its bound, verify answers from memory (the logged-out token stays refused);
        // after it, nothing can bring the state up to date, and verify fails closed.
        using (var meanwhile = await client.VerifyAsync(loggedOut))
        {
            Assert.NotEqual(HttpStatusCode.OK, meanwhile.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        await Expect.UnavailableAsync(client.VerifyAsync(loggedOut));
        await Expect.UnavailableAsync(client.VerifyAsync(live));
        await Expect.UnavailableAsync(client.LogoutAsync(live));
        await Expect.UnavailableAsync(client.GetAsync("api/health"));

        Assert.False(await ExistsAsync(table.Name));
        Assert.Single(app.Logs.Lines, line => line.StartsWith("Critical", StringComparison.Ordinal) && line.Contains(table.Name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deleted_user_table_is_refused_until_a_restart_even_once_it_is_back()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        await client.RegisterAndLoginAsync(username, Password);
        var table = app.Table("FuncAuth:Storage:UsersTableName");
        await table.DeleteAsync();

        // Recreating the table would make the name free again and forget the user.
        await Expect.UnavailableAsync(client.RegisterAsync(username, "another password"));
        await Expect.UnavailableAsync(client.LoginAsync(username, Password));
        await Expect.UnavailableAsync(client.GetAsync("api/health"));
        Assert.False(await ExistsAsync(table.Name));
        Assert.Contains(app.Logs.Lines, line => line.StartsWith("Critical", StringComparison.Ordinal) && line.Contains(table.Name, StringComparison.Ordinal));

        // An operator restores the table: this instance, which saw it vanish, still refuses until it restarts.
        await table.CreateAsync();
        await Expect.UnavailableAsync(client.RegisterAsync(AuthClient.NewUsername(), Password));

        await using var restarted = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:UsersTableName"] = app.Setting("FuncAuth:Storage:UsersTableName"),
            ["FuncAuth:Storage:RevokedTokensTableName"] = app.Setting("FuncAuth:Storage:RevokedTokensTableName"),
            ["FuncAuth:Storage:SessionsTableName"] = app.Setting("FuncAuth:Storage:SessionsTableName"),
        });
        using var again = restarted.CreateClient();
        using var registered = await again.RegisterAsync(AuthClient.NewUsername(), Password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    private async Task<bool> ExistsAsync(string tableName)
    {
        await foreach (var _ in new TableServiceClient(storage.ConnectionString).QueryAsync(filter: $"TableName eq '{tableName}'"))
        {
            return true;
        }

        return false;
    }
}
