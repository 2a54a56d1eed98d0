using System.Net;
using Azure.Data.Tables;
using FuncAuth.Sessions;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Sessions;

/// <summary>The sessions table stays bounded: sessions past their lifetime leave it with everything that names them.</summary>
public sealed class SessionPurgeTests(StorageFixture storage)
{
    [Fact]
    public async Task Sessions_past_their_lifetime_are_removed_with_their_refresh_tokens_and_live_ones_are_kept()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshTokenLifetime"] = "1.00:00:00",
            ["FuncAuth:Sessions:SessionLifetime"] = "2.00:00:00",
        })
        { Time = clock };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (old, oldRefresh) = await client.RegisterAndStartSessionAsync(username);
        using (var rotated = await client.RefreshAsync(oldRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        clock.Advance(TimeSpan.FromDays(1.5));
        var (young, _) = await client.StartSessionAsync(username);
        var table = app.Table("FuncAuth:Storage:SessionsTableName");
        Assert.Equal(4, await CountAsync(table, AuthClient.SessionIdOf(old)));

        // Past the old session's lifetime (and the hour it ended in, and a margin), the upkeep removes it.
        clock.Advance(TimeSpan.FromDays(0.5) + TimeSpan.FromHours(2));
        var store = app.Services.GetRequiredService<SessionStore>();
        Assert.True(await store.PurgeExpiredAsync(CancellationToken.None) >= 1);

        Assert.Equal(0, await CountAsync(table, AuthClient.SessionIdOf(old)));
        Assert.Equal(3, await CountAsync(table, AuthClient.SessionIdOf(young)));
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            Assert.DoesNotContain(AuthClient.SessionIdOf(old), entity.PartitionKey + entity.RowKey, StringComparison.Ordinal);
        }
    }


    private static async Task<int> CountAsync(TableClient table, string sessionId)
    {
        var count = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            if (entity.RowKey == sessionId || entity.RowKey.EndsWith(":" + sessionId, StringComparison.Ordinal) || entity.GetString("SessionId") == sessionId)
            {
                count++;
            }
        }

        return count;
    }
}
