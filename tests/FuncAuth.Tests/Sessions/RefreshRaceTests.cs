using System.Net;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Sessions;

/// <summary>
/// Many clients presenting one refresh token at once (tabs, processes, retries): the table decides, so exactly one
/// successor is ever created. With the reuse interval on they all converge on it; with it off, the race is reuse.
/// </summary>
public sealed class RefreshRaceTests(StorageFixture storage, ITestOutputHelper output)
{
    private const int Racers = 20;

    [Fact]
    public async Task Twenty_concurrent_refreshes_with_the_reuse_interval_all_succeed_with_one_successor()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        var responses = await RaceAsync(client, refresh);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        var successors = responses.Select(r => r.Refresh).Distinct().ToList();
        var successor = Assert.Single(successors);
        output.WriteLine($"interval 10 s: {responses.Count(r => r.Status == HttpStatusCode.OK)} of {Racers} answered 200, {successors.Count} distinct successor(s)");

        // In the table: the session's two refresh tokens (the spent one and its one successor), and no other.
        var sid = AuthClient.SessionIdOf(access);
        var indexed = await IndexedTokensAsync(app, sid);
        output.WriteLine($"refresh tokens indexed for the session: {indexed}");
        Assert.Equal(2, indexed);
        using var next = await client.RefreshAsync(successor!);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        foreach (var response in responses)
        {
            using var verified = await client.VerifyAsync(response.Access!);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }
    }

    [Fact]
    public async Task Twenty_concurrent_refreshes_without_the_reuse_interval_let_exactly_one_through_and_end_the_session()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00",
        });
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        var responses = await RaceAsync(client, refresh);
        var winner = Assert.Single(responses, r => r.Status == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r != winner), r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        output.WriteLine($"interval 0: {responses.Count(r => r.Status == HttpStatusCode.OK)} of {Racers} answered 200");

        // The second use was reuse: the session is over, the winner's tokens included.
        await Expect.RevokedAsync(client, access);
        await Expect.RevokedAsync(client, winner.Access!);
        await Expect.InvalidGrantAsync(client, winner.Refresh!);
        Assert.Equal(0, await IndexedTokensAsync(app, AuthClient.SessionIdOf(access)));
    }

    private static async Task<List<(HttpStatusCode Status, string? Access, string? Refresh)>> RaceAsync(HttpClient client, string refresh)
    {
        using var start = new ManualResetEventSlim();
        var racers = Enumerable.Range(0, Racers).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.RefreshAsync(refresh);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, (string?)null, (string?)null);
            }

            var (access, successor) = await response.TokensAsync();
            return (response.StatusCode, access, successor);
        })).ToList();
        start.Set();
        return [.. await Task.WhenAll(racers)];
    }

    private static async Task<int> IndexedTokensAsync(FuncAuthApp app, string sessionId)
    {
        var count = 0;
        await foreach (var _ in app.Table("FuncAuth:Storage:SessionsTableName").QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {"rt-"} and PartitionKey lt {"rt."} and SessionId eq {sessionId}")))
        {
            count++;
        }

        return count;
    }
}
