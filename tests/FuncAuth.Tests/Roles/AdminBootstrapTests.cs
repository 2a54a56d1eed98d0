using System.Net;
using FuncAuth.Admin;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// FuncAuth:Admin:BootstrapUsernames: an app started with it gives the administrator role to the named accounts that exist
/// (their next token carries it), keeps the roles they had, logs a name with no account and goes on; a second start
/// changes nothing; storage that is down at start-up neither stops nor holds up the app, and the grant is made once it
/// answers.
/// </summary>
public sealed class AdminBootstrapTests(StorageFixture storage)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_start_grants_the_role_to_existing_named_accounts_logs_a_missing_name_and_a_second_start_changes_nothing()
    {
        var tables = FuncAuthApp.NewTableNames();
        var first = AuthClient.NewUsername();
        var second = AuthClient.NewUsername();
        var missing = AuthClient.NewUsername();
        await using (var before = new FuncAuthApp(storage.ConnectionString, tables) { DeleteTablesOnDispose = false })
        {
            using var client = before.CreateClient();
            await client.RegisterAndLoginAsync(first, Password);
            await client.RegisterAndLoginAsync(second, Password);
            await AdminSwitches.SetRolesAsync(before, second, "reports");
        }

        var settings = new Dictionary<string, string?>(tables)
        {
            ["FuncAuth:Admin:BootstrapUsernames:0"] = first,
            ["FuncAuth:Admin:BootstrapUsernames:1"] = missing,
            ["FuncAuth:Admin:BootstrapUsernames:2"] = second.ToUpperInvariant(),   // names are matched as sign-in matches them
        };
        string etagAfterFirstStart;
        await using (var app = new FuncAuthApp(storage.ConnectionString, settings) { DeleteTablesOnDispose = false })
        {
            await BootstrapFinishedAsync(app);
            using var client = app.CreateClient();
            Assert.Equal(["funcauth-admin"], AdminSwitches.RolesOf((await client.StartSessionAsync(first, Password)).Access)!);
            Assert.Equal(["funcauth-admin", "reports"], AdminSwitches.RolesOf((await client.StartSessionAsync(second, Password)).Access)!);

            var firstId = (await AdminSwitches.AccountAsync(app, first)).Id;
            Assert.Equal(2, app.Logs.Events.Count(e => e.Id == 4121 && e.Name == "AdminRoleBootstrapped"));
            Assert.Contains(app.Logs.Lines, l => l.Contains(firstId, StringComparison.Ordinal) && l.Contains("was given the role funcauth-admin", StringComparison.Ordinal));
            Assert.Contains(app.Logs.Events, e => e.Id == 4122 && e.Name == "AdminBootstrapAccountMissing");
            Assert.Contains(app.Logs.Lines, l => l.Contains(missing, StringComparison.Ordinal) && l.Contains("no account has that name", StringComparison.Ordinal));
            using var health = await client.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            etagAfterFirstStart = (await AdminSwitches.AccountAsync(app, first)).ETag.ToString();
        }

        await using var again = new FuncAuthApp(storage.ConnectionString, settings);
        await BootstrapFinishedAsync(again);
        Assert.DoesNotContain(again.Logs.Events, e => e.Name == "AdminRoleBootstrapped");
        Assert.Equal(etagAfterFirstStart, (await AdminSwitches.AccountAsync(again, first)).ETag.ToString());
        Assert.Equal(["funcauth-admin"], (await AdminSwitches.AccountAsync(again, first)).RoleNames);
    }

    [Fact]
    public async Task The_configured_role_is_the_one_granted()
    {
        var tables = FuncAuthApp.NewTableNames();
        var name = AuthClient.NewUsername();
        await using (var before = new FuncAuthApp(storage.ConnectionString, tables) { DeleteTablesOnDispose = false })
        {
            using var client = before.CreateClient();
            await client.RegisterAndLoginAsync(name, Password);
        }

        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>(tables)
        {
            ["FuncAuth:Admin:Role"] = "ops:admin",
            ["FuncAuth:Admin:BootstrapUsernames:0"] = name,
        });
        await BootstrapFinishedAsync(app);
        Assert.Equal(["ops:admin"], (await AdminSwitches.AccountAsync(app, name)).RoleNames);
    }

    [Fact]
    public async Task Storage_down_at_start_up_neither_stops_nor_holds_up_the_app_and_the_grant_follows_when_it_answers()
    {
        var port = AzuriteProcess.FreePort();
        await using var azurite = await AzuriteProcess.StartAsync(StorageFixture.RepositoryRoot, port, dataFolder: null);
        await using var outage = new TcpOutage(port);
        var tables = FuncAuthApp.NewTableNames();
        var name = AuthClient.NewUsername();
        await using (var before = new FuncAuthApp(azurite.ConnectionString, tables) { DeleteTablesOnDispose = false })
        {
            using var client = before.CreateClient();
            await client.RegisterAndLoginAsync(name, Password);
        }

        await outage.CutAsync();
        await using var app = new FuncAuthApp(outage.Through(azurite.ConnectionString), new Dictionary<string, string?>(tables)
        {
            ["FuncAuth:Admin:BootstrapUsernames:0"] = name,
        });
        using var appClient = app.CreateClient();
        var bootstrap = app.Services.GetRequiredService<AdminBootstrap>();

        // The app is up and answering (503 while storage is away) while the grant waits and retries in the background.
        using (var health = await appClient.GetAsync("api/health"))
        {
            Expect.Unavailable(health);
        }

        await EventuallyAsync(() => app.Logs.Events.Any(e => e.Id == 4123 && e.Name == "AdminBootstrapDelayed"));
        Assert.False(bootstrap.ExecuteTask!.IsCompleted);

        outage.Restore();
        await bootstrap.ExecuteTask.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["funcauth-admin"], (await AdminSwitches.AccountAsync(app, name)).RoleNames);
        Assert.Contains(app.Logs.Events, e => e.Name == "AdminRoleBootstrapped");
    }

    private static async Task BootstrapFinishedAsync(FuncAuthApp app)
    {
        var bootstrap = app.Services.GetRequiredService<AdminBootstrap>();
        await bootstrap.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
