using System.Net;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Per-name lockout across instances (the counter is in Table Storage): it locks after the configured failures,
/// doubles, resets on success, counts every way a password is checked, and answers exactly as a wrong password does,
/// for names with and without an account.
/// </summary>
public sealed class LockoutTests(StorageFixture storage)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Five_failures_lock_the_account_with_the_answer_of_a_wrong_password_until_the_lockout_ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = clock };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var wrong = await LoginAnswer.OfAsync(client, username, "wrong password");
        for (var i = 1; i < 5; i++)
        {
            Assert.Equal(wrong, await LoginAnswer.OfAsync(client, username, "wrong password"));
        }

        // Locked: the right password gets the very answer of a wrong one (status, headers, body).
        Assert.Equal(wrong, await LoginAnswer.OfAsync(client, username, Password));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(wrong, await LoginAnswer.OfAsync(client, username, Password));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("locked for 00:01:00", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromSeconds(2));
        using (var login = await client.LoginAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        // A success forgot everything: four failures do not lock.
        for (var i = 0; i < 4; i++)
        {
            await LoginAnswer.OfAsync(client, username, "wrong password");
        }

        using var after = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Each_further_lockout_doubles_up_to_the_cap()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Lockout:MaxFailedAttempts"] = "2",
            ["FuncAuth:Lockout:LockoutDuration"] = "00:01:00",
            ["FuncAuth:Lockout:MaxLockoutDuration"] = "00:03:00",
        })
        { Time = clock };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        foreach (var expected in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3) })
        {
            await LoginAnswer.OfAsync(client, username, "wrong password");
            await LoginAnswer.OfAsync(client, username, "wrong password");
            clock.Advance(expected - TimeSpan.FromSeconds(1));
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAnswer.OfAsync(client, username, Password)).Status);
            clock.Advance(TimeSpan.FromSeconds(2));

            // Not a success yet: logging in now would reset the doubling, so only the lock's end is checked by the table.
            var state = await StateAsync(app, username);
            Assert.True(state.GetDateTimeOffset("LockedUntil") < clock.GetUtcNow(), $"Still locked after {expected}.");
        }

        using var login = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_name_without_an_account_is_counted_and_locked_alike()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var nobody = AuthClient.NewUsername();
        var answers = new List<LoginAnswer>();
        for (var i = 0; i < 7; i++)
        {
            answers.Add(await LoginAnswer.OfAsync(client, nobody, "any password"));
        }

        Assert.Single(answers.Distinct());
        var state = await StateAsync(app, nobody);
        Assert.Equal(1, state.GetInt32("Lockouts"));
        Assert.True(state.GetDateTimeOffset("LockedUntil") > DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(100)]
    public async Task Twenty_concurrent_wrong_passwords_are_all_counted_or_the_lock_is_in_place(int maxFailedAttempts)
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Lockout:MaxFailedAttempts"] = maxFailedAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.LoginAsync(username, "wrong password");
            return response.StatusCode;
        })).ToList();
        start.Set();
        Assert.All(await Task.WhenAll(attempts), status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        var state = await StateAsync(app, username);
        if (maxFailedAttempts > 20)
        {
            Assert.Equal(20, state.GetInt32("Failures"));
        }
        else
        {
            Assert.True(state.GetDateTimeOffset("LockedUntil") > DateTimeOffset.UtcNow);
            Assert.Equal(1, state.GetInt32("Lockouts"));
        }
    }

    [Fact]
    public async Task The_password_grant_and_a_password_change_count_too_and_are_refused_while_locked()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, _) = await client.RegisterAndStartSessionAsync(username);

        await LoginAnswer.OfAsync(client, username, "wrong password");
        await LoginAnswer.OfAsync(client, username, "wrong password");
        using (var grant = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "wrong password")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var change = await client.ChangePasswordAsync(access, "wrong password", "a brand new password");
            Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        }

        // Five failures across three endpoints: locked everywhere, even with the right password.
        using (var grant = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password)))
        {
            await Expect.OAuthErrorAsync(grant, "invalid_grant");
        }

        using (var change = await client.ChangePasswordAsync(access, Password, "a brand new password"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAnswer.OfAsync(client, username, Password)).Status);
    }

    private static async Task<TableEntity> StateAsync(FuncAuthApp app, string username)
    {
        Assert.True(Username.TryCreate(username, out var name, out _));
        return (await app.Table("FuncAuth:Storage:LoginAttemptsTableName").GetEntityAsync<TableEntity>(name!.Key, "attempts")).Value;
    }
}
