using FuncAuth.Email;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Email;

/// <summary>
/// The one-time token table on real storage: a token is found only by itself and spent once among racers; the hourly
/// purge removes expired tokens and past hours' message counts and nothing live.
/// </summary>
public sealed class OneTimeTokensTests(StorageFixture storage)
{
    [Fact]
    public async Task Twenty_racing_spends_of_one_token_let_exactly_one_through()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var tokens = app.Services.GetRequiredService<OneTimeTokens>();
        var token = await tokens.MintAsync(OneTimeTokenPurpose.ResetPassword, "key", "id", "a@example.com", "stamp", TimeSpan.FromMinutes(5), default);
        var read = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.FindAsync(token, default)));
        var spent = await Task.WhenAll(read.Select(t => tokens.TrySpendAsync(t!, default)));

        Assert.Single(spent, s => s);
        Assert.Null(await tokens.FindAsync(token, default));
        Assert.Null(await tokens.FindAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), default));
    }

    [Fact]
    public async Task The_purge_removes_expired_tokens_and_past_counts_and_keeps_live_ones()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = time };
        var tokens = app.Services.GetRequiredService<OneTimeTokens>();
        var quota = app.Services.GetRequiredService<RecipientQuota>();
        Assert.True(EmailAddress.TryCreate("someone@example.com", out var address, out _));

        var shortLived = await tokens.MintAsync(OneTimeTokenPurpose.ConfirmEmail, "key", "id", address.Value, null, TimeSpan.FromMinutes(1), default);
        var longLived = await tokens.MintAsync(OneTimeTokenPurpose.ConfirmEmail, "key", "id", address.Value, null, TimeSpan.FromHours(5), default);
        Assert.True(await quota.TryTakeAsync(address, default));

        // The hourly purge runs on its own when the clock passes the hour; a round of it here makes sure it has.
        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Null(await tokens.FindAsync(shortLived, default));
        await tokens.PurgeExpiredAsync(default);
        await quota.PurgeAsync(default);
        Assert.NotNull(await tokens.FindAsync(longLived, default));

        var left = 0;
        await foreach (var _ in app.Table("FuncAuth:Storage:OneTimeTokensTableName").QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            left++;
        }

        Assert.Equal(1, left);
    }
}
