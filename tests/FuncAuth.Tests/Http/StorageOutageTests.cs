using System.Net;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Http;

/// <summary>
/// Storage goes away and comes back: requests get 503 with Retry-After (never a 500, never a token that
/// should not pass), health says 503, and everything works again once storage answers. This test runs its
/// own Azurite, whatever <c>FUNCAUTH_TEST_STORAGE</c> says, because it has to stop it.
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Storage_stopped_answers_503_then_recovers()
    {
        var port = AzuriteProcess.FreePort();
        var azurite = await AzuriteProcess.StartAsync(StorageFixture.RepositoryRoot, port, dataFolder: null);
        try
        {
            await using var app = new FuncAuthApp(azurite.ConnectionString, new Dictionary<string, string?>
            {
                ["FuncAuth:Storage:MaxRetries"] = "1",
                ["FuncAuth:Storage:NetworkTimeout"] = "00:00:05",
            });
            using var client = app.CreateClient();
            var username = AuthClient.NewUsername();
            var token = await client.RegisterAndLoginAsync(username);

            await azurite.DisposeAsync();

            using (var health = await client.GetAsync("api/health"))
            {
                await AssertUnavailable(health);
            }

            using (var register = await client.RegisterAsync(AuthClient.NewUsername(), "correct horse battery"))
            {
                await AssertUnavailable(register);
            }

            using (var login = await client.LoginAsync(username, "correct horse battery"))
            {
                await AssertUnavailable(login);
            }

            using (var verify = await client.VerifyAsync(token))
            {
                // Fail closed: without the revocation list, a token is not vouched for.
                await AssertUnavailable(verify);
            }

            using (var logout = await client.LogoutAsync(token))
            {
                await AssertUnavailable(logout);
            }

            Assert.Contains(app.Logs.Lines, line => line.Contains("Table Storage is unavailable", StringComparison.Ordinal));

            // Back on the same port but empty (in memory): storage that lost its tables, which the app refuses to
            // recreate (see TableLossTests). Restore them, as an operator would, before traffic resumes.
            azurite = await AzuriteProcess.StartAsync(StorageFixture.RepositoryRoot, port, dataFolder: null);
            await app.Table("FuncAuth:Storage:UsersTableName").CreateAsync();
            await app.Table("FuncAuth:Storage:RevokedTokensTableName").CreateAsync();

            using (var health = await client.GetAsync("api/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            var again = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
            using var verified = await client.VerifyAsync(again);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private static async Task AssertUnavailable(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":503", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
