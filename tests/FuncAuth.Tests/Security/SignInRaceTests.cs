using System.Net;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Lockout under concurrency (issue #19.1): however many requests race for one name, at most
/// <c>MaxFailedAttempts</c> passwords are checked per lockout window, and a right password is refused while the name
/// is locked, whatever arrived first. Password checks are counted from the security events: every login logs
/// <c>LoginFailed</c> or <c>LoginSucceeded</c>, and one refused without a check also logs <c>LoginRefusedWhileLocked</c>.
/// </summary>
public sealed class SignInRaceTests(StorageFixture storage, ITestOutputHelper output)
{
    private const string Password = "correct horse battery";
    private const int MaxFailedAttempts = 5;

    [Fact]
    public async Task Thirty_concurrent_wrong_passwords_check_at_most_the_limit_and_the_right_password_then_gets_the_locked_answer()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var answers = await AtOnceAsync(30, () => AnswerAsync(client, username, "wrong password"));
        Assert.Single(answers.Distinct());
        Assert.Equal(HttpStatusCode.Unauthorized, answers[0].Status);

        var (checks, refused) = Counts(app);
        output.WriteLine($"30 concurrent wrong: {checks} checked, {refused} refused while locked");
        Assert.InRange(checks, 1, MaxFailedAttempts);
        Assert.Equal(30, checks + refused);

        // The right password now: the very answer of a wrong one, and no check.
        Assert.Equal(answers[0], await AnswerAsync(client, username, Password));
        Assert.Equal(checks, Counts(app).Checks);
        Assert.True((await StateAsync(app, username))!.GetDateTimeOffset("LockedUntil") > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task The_owners_own_concurrent_sign_ins_all_succeed_and_never_lock_the_name()
    {
        // Found by the benchmark: with each check counted as a failure until decided, 64 concurrent logins of one user
        // locked it. Checks in flight now only queue for room under the limit; decided right, they free it. Hashes slow
        // enough (as in production) that many checks are in flight at once.
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Passwords:Iterations"] = "100000" });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var answers = await AtOnceAsync(24, () => AnswerAsync(client, username, Password));
        output.WriteLine($"24 concurrent right: {answers.Count(a => a.Status == HttpStatusCode.OK)} answered 200");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Null(await StateAsync(app, username)); // nothing left counted, nothing locked

        // And the limit still holds for guesses after them.
        var wrongs = await AtOnceAsync(12, () => AnswerAsync(client, username, "wrong password"));
        Assert.All(wrongs, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Equal(HttpStatusCode.Unauthorized, (await AnswerAsync(client, username, Password)).Status);
    }

    [Fact]
    public async Task The_right_password_sent_just_after_concurrent_wrong_ones_is_one_of_the_limited_checks_and_lifts_no_lock()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var wrong = AtOnceAsync(25, () => AnswerAsync(client, username, "wrong password"));
        await Task.Delay(50);
        var right = await AnswerAsync(client, username, Password);
        var wrongs = await wrong;
        Assert.All(wrongs, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));

        var (checks, refused) = Counts(app);
        var succeeded = app.Logs.Events.Count(e => e.Name == "LoginSucceeded");
        output.WriteLine($"25 wrong + 1 right 50 ms later: right answered {(int)right.Status}; {checks} checked, {refused} refused while locked");
        Assert.Equal(26, checks + refused);
        Assert.Equal(right.Status == HttpStatusCode.OK ? 1 : 0, succeeded);

        // Refused, the right password was not checked, and at most the limit was. Accepted, it was one of the limited checks
        // before the lock, and its success forgot the failures counted so far, as a success does (it cannot lift a lock set
        // meanwhile): at most the limit before it, including it, and the limit again after it.
        Assert.InRange(checks, 1, right.Status == HttpStatusCode.OK ? 2 * MaxFailedAttempts : MaxFailedAttempts);

        var state = await StateAsync(app, username);
        if (right.Status != HttpStatusCode.OK)
        {
            // Refused: identical to a wrong password, and the name is locked.
            Assert.Equal(wrongs[0], right);
            Assert.True(state!.GetDateTimeOffset("LockedUntil") > DateTimeOffset.UtcNow);
        }

        // Whatever the order, the name is locked now unless fewer than the limit of wrong passwords were checked after the success.
        var wrongChecks = checks - succeeded;
        if (wrongChecks >= MaxFailedAttempts)
        {
            Assert.True(state!.GetDateTimeOffset("LockedUntil") > DateTimeOffset.UtcNow);
            using var after = await client.LoginAsync(username, Password);
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    private static (int Checks, int Refused) Counts(FuncAuthApp app)
    {
        var events = app.Logs.Events.Select(e => e.Name).ToList();
        var refused = events.Count(n => n == "LoginRefusedWhileLocked");
        var answered = events.Count(n => n is "LoginFailed" or "LoginSucceeded");
        return (answered - refused, refused);
    }

    private static async Task<T[]> AtOnceAsync<T>(int count, Func<Task<T>> send)
    {
        using var start = new ManualResetEventSlim();
        var all = Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await send();
        })).ToList();
        start.Set();
        return await Task.WhenAll(all);
    }

    private static async Task<TableEntity?> StateAsync(FuncAuthApp app, string username)
    {
        Assert.True(Username.TryCreate(username, out var name, out _));
        var found = await app.Table("FuncAuth:Storage:LoginAttemptsTableName").GetEntityIfExistsAsync<TableEntity>(name!.Key, "attempts");
        return found.HasValue ? found.Value : null;
    }

    /// <summary>Everything a client sees of a login answer but the Date header; nothing of a 200 (its tokens are new each time).</summary>
    private static async Task<LoginAnswer> AnswerAsync(HttpClient client, string username, string password)
    {
        var answer = await LoginAnswer.OfAsync(client, username, password);
        return answer.Status == HttpStatusCode.OK ? answer with { Headers = string.Empty, Body = string.Empty } : answer;
    }
}
