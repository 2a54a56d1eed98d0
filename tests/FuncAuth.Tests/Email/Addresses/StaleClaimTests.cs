using System.Net;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Email.Addresses;

/// <summary>
/// A claim without an account that holds the address (a registration that never wrote its user, a user removed behind
/// FuncAuth's back) is taken over once it is older than the grace period, and never before; a live account's never.
/// </summary>
public sealed class StaleClaimTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString) { Time = new FakeTimeProvider(DateTimeOffset.UtcNow) })
{
    private FakeTimeProvider Time => App.Time!;

    private EmailAddressStore Claims => App.Services.GetRequiredService<EmailAddressStore>();

    [Fact]
    public async Task A_claim_whose_account_was_never_written_is_taken_over_only_after_the_grace_period()
    {
        var address = EmailClient.NewAddress();
        Assert.True(EmailAddress.TryCreate(address, out var parsed, out _));
        await WriteClaimAsync(parsed, userKey: "no-such-user-key", userId: "ghost", claimedAt: Time.GetUtcNow());

        // A registration in flight: its claim stands.
        using (var early = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        Time.Advance(EmailAddressStore.Grace + TimeSpan.FromSeconds(1));
        var username = AuthClient.NewUsername();
        string id;
        using (var late = await Client.RegisterWithEmailAsync(username, address))
        {
            Assert.Equal(HttpStatusCode.Created, late.StatusCode);
            using var body = await late.JsonAsync();
            id = body.RootElement.GetProperty("id").GetString()!;
        }

        Assert.True(Username.TryCreate(username, out var name, out _));
        Assert.Equal(new EmailOwner(name!.Key, id), await Claims.FindOwnerAsync(parsed, TestContext.Current.CancellationToken));
        Assert.Contains(App.Logs.Events, e => e.Name == "EmailClaimTakenOver" && e.Id == 4031);
    }

    [Fact]
    public async Task A_claim_whose_account_was_removed_behind_FuncAuths_back_is_taken_over()
    {
        var address = EmailClient.NewAddress();
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, address))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        Assert.True(Username.TryCreate(username, out var name, out _));
        await App.Table("FuncAuth:Storage:UsersTableName").DeleteEntityAsync(name!.Key, "account", cancellationToken: TestContext.Current.CancellationToken);
        Time.Advance(TimeSpan.FromMinutes(2));

        using var again = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task A_live_accounts_claim_is_never_taken_over_however_old()
    {
        var address = EmailClient.NewAddress();
        using (var registered = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        Time.Advance(TimeSpan.FromDays(30));
        using var again = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address.ToUpperInvariant());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.DoesNotContain(App.Logs.Events, e => e.Name == "EmailClaimTakenOver");
    }

    [Fact]
    public async Task A_claim_of_an_account_that_now_holds_another_address_is_taken_over()
    {
        var address = EmailClient.NewAddress();
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, address))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // The account moved to another address without giving this one back (say a fault between the two writes).
        Assert.True(Username.TryCreate(username, out var name, out _));
        var users = App.Services.GetRequiredService<UserStore>();
        var account = await users.FindAsync(name!, TestContext.Current.CancellationToken);
        Assert.NotNull(await users.TryUpdateEmailAsync(account!, EmailClient.NewAddress(), confirmed: true, TestContext.Current.CancellationToken));

        using (var early = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        Time.Advance(TimeSpan.FromMinutes(2));
        using var late = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address);
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
    }

    [Fact]
    public async Task Claiming_again_for_the_same_user_is_no_conflict_and_release_leaves_anothers_claim_alone()
    {
        Assert.True(EmailAddress.TryCreate(EmailClient.NewAddress(), out var address, out _));
        var ct = TestContext.Current.CancellationToken;
        Assert.True(await Claims.TryClaimAsync(address, "key-1", "user-1", ct));
        Assert.True(await Claims.TryClaimAsync(address, "key-1", "user-1", ct));
        Assert.False(await Claims.TryClaimAsync(address, "key-2", "user-2", ct));

        await Claims.ReleaseAsync(address, "user-2", ct);
        Assert.Equal(new EmailOwner("key-1", "user-1"), await Claims.FindOwnerAsync(address, ct));

        await Claims.ReleaseAsync(address, "user-1", ct);
        Assert.Null(await Claims.FindOwnerAsync(address, ct));
        Assert.True(await Claims.TryClaimAsync(address, "key-2", "user-2", ct));
    }

    [Fact]
    public async Task Of_concurrent_takeovers_of_a_stale_claim_exactly_one_wins()
    {
        Assert.True(EmailAddress.TryCreate(EmailClient.NewAddress(), out var address, out _));
        await WriteClaimAsync(address, userKey: "no-such-user-key", userId: "ghost", claimedAt: Time.GetUtcNow().AddMinutes(-5));
        var ct = TestContext.Current.CancellationToken;

        var won = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Claims.TryClaimAsync(address, $"key-{i}", $"user-{i}", ct)));

        Assert.Single(won, true);
        var winner = Array.IndexOf(won, true);
        Assert.Equal(new EmailOwner($"key-{winner}", $"user-{winner}"), await Claims.FindOwnerAsync(address, ct));
    }

    private async Task WriteClaimAsync(EmailAddress address, string userKey, string userId, DateTimeOffset claimedAt)
    {
        var table = App.Table("FuncAuth:Storage:EmailAddressesTableName");
        await table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        await table.AddEntityAsync(
            new TableEntity(address.Key, "owner")
            {
                ["UserKey"] = userKey,
                ["UserId"] = userId,
                ["Address"] = address.Value,
                ["ClaimedAt"] = claimedAt,
            },
            TestContext.Current.CancellationToken);
    }
}
