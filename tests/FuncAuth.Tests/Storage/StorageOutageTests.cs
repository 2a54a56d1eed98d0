using System.Net;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Storage;

/// <summary>
/// Storage goes away and comes back, under two instances sharing it: requests that need storage get 503 with
/// Retry-After at once; verify answers from memory until its state is older than the bound, then 503 on every
/// instance (never a token that should not pass); once storage answers, everything recovers without a restart,
/// and a logout made just before the outage is still enforced everywhere. The outage is a cut connection to the
/// test's storage (a relay the test controls), so storage itself comes back as it was.
/// </summary>
public sealed class StorageOutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Storage_stopped_answers_503_then_recovers_on_every_instance()
    {
        var port = AzuriteProcess.FreePort();
        await using var azurite = await AzuriteProcess.StartAsync(StorageFixture.RepositoryRoot, port, dataFolder: null);
        await using var outage = new TcpOutage(port);
        var connectionString = outage.Through(azurite.ConnectionString);
        await using var a = new FuncAuthApp(connectionString, Settings());
        await using var b = new FuncAuthApp(connectionString, Settings(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var username = AuthClient.NewUsername();
        var revoked = await clientA.RegisterAndLoginAsync(username);
        using var login = await clientA.LoginAsync(username, "correct horse battery");
        var live = await login.AccessTokenAsync();
        using (var logout = await clientA.LogoutAsync(revoked))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await outage.CutAsync();

        await AssertUnavailable(clientA.GetAsync("api/health"));
        await AssertUnavailable(clientA.RegisterAsync(AuthClient.NewUsername(), "correct horse battery"));
        await AssertUnavailable(clientA.LoginAsync(username, "correct horse battery"));
        await AssertUnavailable(clientA.LogoutAsync(live));

        // Past the bound, no instance vouches for any token: fail closed.
        await Task.Delay(Bound + TimeSpan.FromMilliseconds(300));
        foreach (var client in new[] { clientA, clientB })
        {
            await AssertUnavailable(client.VerifyAsync(live));
            await AssertUnavailable(client.VerifyAsync(revoked));
        }

        Assert.Contains(a.Logs.Lines, line => line.Contains("Table Storage is unavailable", StringComparison.Ordinal));
        Assert.Contains(b.Logs.Lines, line => line.Contains("The revocation list cannot be read", StringComparison.Ordinal));

        outage.Restore();
        foreach (var client in new[] { clientA, clientB })
        {
            await EventuallyAsync(async () =>
            {
                using var verified = await client.VerifyAsync(live);
                return verified.StatusCode == HttpStatusCode.OK;
            });
            using var stillRevoked = await client.VerifyAsync(revoked);
            Expect.Revoked(stillRevoked);
        }

        using (var health = await clientB.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var again = await clientB.RegisterAndLoginAsync(AuthClient.NewUsername());
        using var verifiedAgain = await clientA.VerifyAsync(again);
        Assert.Equal(HttpStatusCode.OK, verifiedAgain.StatusCode);
    }

    /// <summary>Fast syncs and a short bound; with <paramref name="shared"/>, that app's tables.</summary>
    private static Dictionary<string, string?> Settings(FuncAuthApp? shared = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:MaxRetries"] = "1",
            ["FuncAuth:Storage:NetworkTimeout"] = "00:00:02",
            ["FuncAuth:Revocation:SyncInterval"] = "00:00:00.2",
            ["FuncAuth:Revocation:MaxStaleness"] = Bound.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["FuncAuth:Revocation:SyncWait"] = "00:00:01",
        };
        if (shared is not null)
        {
            settings["FuncAuth:Storage:UsersTableName"] = shared.Setting("FuncAuth:Storage:UsersTableName");
            settings["FuncAuth:Storage:RevokedTokensTableName"] = shared.Setting("FuncAuth:Storage:RevokedTokensTableName");
            settings["FuncAuth:Storage:SessionsTableName"] = shared.Setting("FuncAuth:Storage:SessionsTableName");
        }

        return settings;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Did not recover within 20 s of storage answering again.");
            await Task.Delay(200);
        }
    }

    private static async Task AssertUnavailable(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        Expect.Unavailable(response);
        Assert.Contains("\"status\":503", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
