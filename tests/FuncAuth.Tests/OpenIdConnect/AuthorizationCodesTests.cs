using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FuncAuth.Authorization;
using FuncAuth.Email;
using FuncAuth.Sessions;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.OpenIdConnect;

/// <summary>
/// Authorization codes on real storage: single use however many redemptions race (the table decides), a second use finds
/// what the first started, 60 seconds of life, and nothing in the table that is a usable code.
/// </summary>
public sealed class AuthorizationCodesTests(StorageFixture storage)
{
    [Fact]
    public async Task Of_twenty_racing_redemptions_exactly_one_wins_and_the_others_learn_its_session()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var codes = app.Services.GetRequiredService<AuthorizationCodes>();
        var grant = SampleGrant();
        var code = await codes.IssueAsync(grant, default);

        var sessionIds = Enumerable.Range(0, 20).Select(_ => SessionService.NewClientSessionId()).ToArray();
        var redemptions = await Task.WhenAll(sessionIds.Select(id => Task.Run(() => codes.RedeemAsync(code, id, default))));

        var winner = Assert.Single(redemptions.Select((r, i) => (r, i)), x => x.r.Outcome == CodeOutcome.Redeemed);
        Assert.Equal(grant, winner.r.Grant! with { Methods = grant.Methods });
        Assert.Equal(grant.Methods, winner.r.Grant!.Methods);
        Assert.All(redemptions.Where(r => r.Outcome != CodeOutcome.Redeemed), r =>
        {
            Assert.Equal(CodeOutcome.Reused, r.Outcome);
            Assert.Equal(sessionIds[winner.i], r.IssuedSessionId);
            Assert.Equal(grant.UserId, r.Grant!.UserId);
        });

        // Later too: a second use is recognised as reuse of that very session's code.
        var later = await codes.RedeemAsync(code, SessionService.NewClientSessionId(), default);
        Assert.Equal(CodeOutcome.Reused, later.Outcome);
        Assert.Equal(sessionIds[winner.i], later.IssuedSessionId);
    }

    [Fact]
    public async Task A_code_lives_sixty_seconds_and_the_purge_removes_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = time };
        var codes = app.Services.GetRequiredService<AuthorizationCodes>();
        var fresh = await codes.IssueAsync(SampleGrant(), default);
        var stale = await codes.IssueAsync(SampleGrant(), default);

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CodeOutcome.Redeemed, (await codes.RedeemAsync(fresh, SessionService.NewClientSessionId(), default)).Outcome);

        time.Advance(TimeSpan.FromSeconds(2));
        var expired = await codes.RedeemAsync(stale, SessionService.NewClientSessionId(), default);
        Assert.Equal(CodeOutcome.Expired, expired.Outcome);
        Assert.Null(expired.Grant);

        // The one-time token purge sweeps codes too (they share its row key and ExpiresAt).
        Assert.Equal(2, await app.Services.GetRequiredService<OneTimeTokens>().PurgeExpiredAsync(default));
        Assert.Equal(CodeOutcome.Invalid, (await codes.RedeemAsync(stale, SessionService.NewClientSessionId(), default)).Outcome);
    }

    [Fact]
    public async Task Only_a_hash_is_stored_and_nothing_else_is_a_code()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var codes = app.Services.GetRequiredService<AuthorizationCodes>();
        var code = await codes.IssueAsync(SampleGrant(), default);
        Assert.Equal(43, code.Length);

        var rows = new List<TableEntity>();
        await foreach (var row in app.Table("FuncAuth:Storage:OneTimeTokensTableName").QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        var stored = Assert.Single(rows);
        Assert.Equal("code-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code))), stored.PartitionKey);
        Assert.All(stored.Keys, key => Assert.DoesNotContain(code, stored[key]?.ToString() ?? string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain(code, stored.PartitionKey, StringComparison.Ordinal);

        // Neither a one-time email token (another key form) nor anything malformed or altered redeems.
        Assert.Null(await app.Services.GetRequiredService<OneTimeTokens>().FindAsync(code, default));
        foreach (var wrong in new[] { code[..^1] + (code[^1] == 'A' ? 'B' : 'A'), code[..42], code + "A", string.Empty, new string('!', 43) })
        {
            Assert.Equal(CodeOutcome.Invalid, (await codes.RedeemAsync(wrong, SessionService.NewClientSessionId(), default)).Outcome);
        }

        Assert.Equal(CodeOutcome.Redeemed, (await codes.RedeemAsync(code, SessionService.NewClientSessionId(), default)).Outcome);
    }

    private static AuthorizationGrant SampleGrant() => new(
        "spa", "https://spa.test/callback", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "nonce-1", "openid offline_access",
        "user-id", "someone", SessionService.NewClientSessionId(), DateTimeOffset.UtcNow.AddMinutes(-1), ["pwd"]);
}
