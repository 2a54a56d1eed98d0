using System.Net;
using Azure.Data.Tables;
using FuncAuth.Revocation;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Revocation;

/// <summary>The revocation list on real storage: entries live as long as their token could, and no longer.</summary>
public sealed class RevocationTableTests(StorageFixture storage) : AppTests(
    // The periodic purge is pushed out of the way so the test decides when purging happens.
    new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Revocation:PurgeInterval"] = "1.00:00:00" })
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 20, 0, TimeSpan.Zero)),
    })
{
    private FakeTimeProvider Time => App.Time!;

    [Fact]
    public async Task Entries_are_purged_once_their_token_has_expired_and_not_before()
    {
        var username = AuthClient.NewUsername();
        var old = await Client.RegisterAndLoginAsync(username);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutAsync(old)).StatusCode);

        Time.Advance(TimeSpan.FromMinutes(40));
        using var login = await Client.LoginAsync(username, "correct horse battery");
        var recent = await login.AccessTokenAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutAsync(recent)).StatusCode);

        var revocations = App.Services.GetRequiredService<RevocationTable>();
        Assert.Equal(0, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(2, await CountEntriesAsync());

        // 11:06: the first token expired at 10:35 and its hour (and the clock skew and purge margin) has passed;
        // the second expires at 11:15 and must stay listed until then.
        Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(1, await CountEntriesAsync());
        using (var stillRevoked = await Client.VerifyAsync(recent))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stillRevoked.StatusCode);
            Assert.Contains("revoked", stillRevoked.Challenge(), StringComparison.Ordinal);
        }

        Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await CountEntriesAsync());
    }

    [Fact]
    public async Task An_entry_outlives_its_token_by_more_than_the_clock_skew_for_instances_whose_clocks_run_behind()
    {
        // Logged in at 10:44:59: the token expires at 10:59:59, the last second of its hour's bucket.
        Time.AdjustTime(new DateTimeOffset(2026, 11, 23, 10, 44, 59, TimeSpan.Zero));
        var token = await Client.RegisterAndLoginAsync(AuthClient.NewUsername());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutAsync(token)).StatusCode);
        var revocations = App.Services.GetRequiredService<RevocationTable>();

        // 11:00:30 is past expiry and the 30 s skew here, but an instance whose clock is 30 s behind still
        // accepts the token: the entry must be there to tell it the token was revoked.
        Time.AdjustTime(new DateTimeOffset(2026, 11, 23, 11, 0, 30, TimeSpan.Zero));
        Assert.Equal(0, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Time.AdjustTime(new DateTimeOffset(2026, 11, 23, 11, 0, 0, TimeSpan.Zero));
        using (var behind = await Client.VerifyAsync(token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, behind.StatusCode);
            Assert.Contains("revoked", behind.Challenge(), StringComparison.Ordinal);
        }

        // The margin is five minutes beyond the skew: kept until then, removed after.
        Time.AdjustTime(new DateTimeOffset(2026, 11, 23, 11, 5, 29, TimeSpan.Zero));
        Assert.Equal(0, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Time.AdjustTime(new DateTimeOffset(2026, 11, 23, 11, 5, 30, TimeSpan.Zero));
        Assert.Equal(1, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await CountEntriesAsync());
    }

    [Fact]
    public async Task Many_entries_are_purged_in_batches()
    {
        var revocations = App.Services.GetRequiredService<RevocationTable>();
        var token = await Client.RegisterAndLoginAsync(AuthClient.NewUsername());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutAsync(token)).StatusCode);

        // 150 more entries in the same past hour: more than one transaction's 100 operations.
        var table = App.Table("FuncAuth:Storage:RevokedTokensTableName");
        var bucket = RevocationTable.Bucket(Time.GetUtcNow());
        for (var i = 0; i < 150; i += 50)
        {
            var actions = Enumerable.Range(i, 50)
                .Select(n => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bucket, $"extra{n:D4}")));
            await table.SubmitTransactionAsync(actions);
        }

        Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(151, await revocations.PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await CountEntriesAsync());
    }

    [Fact]
    public async Task Instances_purging_at_once_do_not_fail_each_other()
    {
        var table = App.Table("FuncAuth:Storage:RevokedTokensTableName");
        var token = await Client.RegisterAndLoginAsync(AuthClient.NewUsername());
        Assert.Equal(HttpStatusCode.NoContent, (await Client.LogoutAsync(token)).StatusCode);
        var bucket = RevocationTable.Bucket(Time.GetUtcNow());
        await table.SubmitTransactionAsync(Enumerable.Range(0, 99)
            .Select(n => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(bucket, $"extra{n:D4}"))));

        // An entry already gone when a batch is submitted: what a second instance's purge looks like.
        Time.Advance(TimeSpan.FromHours(2));
        var revocations = App.Services.GetRequiredService<RevocationTable>();
        var purges = Enumerable.Range(0, 3).Select(_ => revocations.PurgeExpiredAsync(CancellationToken.None));
        await table.DeleteEntityAsync(bucket, "extra0050");
        var removed = await Task.WhenAll(purges);

        Assert.All(removed, count => Assert.InRange(count, 0, 100));
        Assert.Equal(0, await CountEntriesAsync());
    }

    private async Task<int> CountEntriesAsync()
    {
        var count = 0;
        await foreach (var _ in App.Table("FuncAuth:Storage:RevokedTokensTableName").QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
