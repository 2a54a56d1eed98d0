using Azure.Data.Tables;
using FuncAuth.Revocation;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Revocation;

/// <summary>
/// The reads the sync makes: a full read (split into parallel row-key ranges) finds every live mark whatever its
/// row key starts with, and a change read finds only what changed since the time it is given: the service's own
/// time at a read is where the next one can start.
/// </summary>
public sealed class RevocationReadTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task A_full_read_finds_every_live_mark_whatever_its_row_key_starts_with()
    {
        var table = App.Table("FuncAuth:Storage:RevokedTokensTableName");
        await table.CreateIfNotExistsAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        var first = "!-09AZ_az~3wWbB".Select(c => $"{c}token{Guid.NewGuid():N}"[..22]).ToList();
        foreach (var id in first)
        {
            await table.AddEntityAsync(new TableEntity(RevocationTable.Bucket(expires), id) { ["ExpiresAt"] = expires });
        }

        // An expired one, in a partition no longer alive, is not read.
        var old = DateTimeOffset.UtcNow.AddHours(-3);
        await table.AddEntityAsync(new TableEntity(RevocationTable.Bucket(old), "expired-token-id-00000") { ["ExpiresAt"] = old });

        var list = App.Services.GetRequiredService<RevocationTable>();
        var (marks, asOf) = await list.ReadChangesAsync(since: null, TestContext.Current.CancellationToken);
        Assert.Equal(first.Order(StringComparer.Ordinal), marks.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.NotNull(asOf);

        var (changes, _) = await list.ReadChangesAsync(since: asOf!.Value.AddSeconds(1), TestContext.Current.CancellationToken);
        Assert.Empty(changes);
        var (recent, _) = await list.ReadChangesAsync(since: asOf.Value.AddSeconds(-30), TestContext.Current.CancellationToken);
        Assert.Equal(first.Count, recent.Count);
    }
}
