using System.Diagnostics;
using System.Net;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Issue #19.2 and #19.3: someone who knows the old password keeps logging in (every ~150 ms, on instance B) while the
/// owner changes the password or deletes the account (on instance A). Three seconds after the change: no session of the
/// attacker is listed, no refresh token of theirs refreshes, no access token of theirs verifies on either instance; the
/// owner's session (after a change) still works.
/// </summary>
public sealed class AccountChangeRaceTests(StorageFixture storage, ITestOutputHelper output)
{
    private const string Password = "correct horse battery";
    private const string NewPassword = "tangerine otter lighthouse";
    private const int Rounds = 3;

    [Fact]
    public async Task A_password_change_leaves_no_session_or_token_of_someone_signing_in_with_the_old_password()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString, SlowHashes);
        await using var b = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        for (var round = 0; round < Rounds; round++)
        {
            var username = AuthClient.NewUsername();
            var (owner, ownerRefresh) = await clientA.RegisterAndStartSessionAsync(username, Password);
            var race = await RaceAsync(clientB, username, async () =>
            {
                using var changed = await clientA.ChangePasswordAsync(owner, Password, NewPassword);
                Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            });

            output.WriteLine($"password change round {round + 1}: {race.Total} attacker logins succeeded ({race.AfterChange} answered after the change); sign-ins refused as overtaken so far: {b.Logs.Events.Count(e => e.Name == "SignInOvertaken")}");
            await AssertNothingSurvivesAsync(clientA, clientB, race.Stolen);

            // The owner's session stays: listed alone, its token verifies everywhere, it refreshes.
            using (var sessions = await clientA.SessionsAsync(owner))
            {
                Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
                using var json = await sessions.JsonAsync();
                var listed = Assert.Single(json.RootElement.GetProperty("sessions").EnumerateArray());
                Assert.Equal(AuthClient.SessionIdOf(owner), listed.GetProperty("id").GetString());
            }

            foreach (var client in new[] { clientA, clientB })
            {
                using var verified = await client.VerifyAsync(owner);
                Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            }

            using var refreshed = await clientB.RefreshAsync(ownerRefresh);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        }
    }

    [Fact]
    public async Task An_account_deletion_leaves_no_session_or_token_of_someone_signing_in_at_the_same_time()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString, SlowHashes);
        await using var b = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        for (var round = 0; round < Rounds; round++)
        {
            var username = AuthClient.NewUsername();
            var (owner, ownerRefresh) = await clientA.RegisterAndStartSessionAsync(username, Password);
            var race = await RaceAsync(clientB, username, async () =>
            {
                using var deleted = await clientA.DeleteAccountAsync(owner, Password);
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            });

            output.WriteLine($"deletion round {round + 1}: {race.Total} attacker logins succeeded ({race.AfterChange} answered after the 204); sign-ins refused as overtaken so far: {b.Logs.Events.Count(e => e.Name == "SignInOvertaken")}");
            await AssertNothingSurvivesAsync(clientA, clientB, [.. race.Stolen, (owner, ownerRefresh)]);
        }
    }

    /// <summary>Logs in as the attacker every ~150 ms; <paramref name="change"/> runs 600 ms in; the logins go on 1.5 s after it.</summary>
    private static async Task<Race> RaceAsync(HttpClient attacker, string username, Func<Task> change)
    {
        var stolen = new List<(string Access, string Refresh)>();
        var afterChange = 0;
        var changed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        // Four attackers, each every ~150 ms, so some password check is always in flight when the change lands.
        var logins = Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            await Task.Delay(i * 37);
            while (!changed.Task.IsCompleted || clock.Elapsed < changed.Task.Result + TimeSpan.FromSeconds(1.5))
            {
                using var login = await attacker.LoginAsync(username, Password);
                if (login.StatusCode == HttpStatusCode.OK)
                {
                    var tokens = await login.TokensAsync();
                    lock (stolen)
                    {
                        stolen.Add(tokens);
                        afterChange += changed.Task.IsCompleted ? 1 : 0;
                    }
                }

                await Task.Delay(150);
            }
        })));

        await Task.Delay(600);
        await change();
        var changedAt = clock.Elapsed;
        changed.SetResult(changedAt);
        await logins;

        // Three seconds after the change: past the revocation bound of every instance.
        var wait = changedAt + TimeSpan.FromSeconds(3) - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        return new Race(stolen, afterChange);
    }

    private static async Task AssertNothingSurvivesAsync(HttpClient clientA, HttpClient clientB, IReadOnlyList<(string Access, string Refresh)> stolen)
    {
        var ids = stolen.Select(s => AuthClient.SessionIdOf(s.Access)).ToHashSet(StringComparer.Ordinal);
        foreach (var (access, refresh) in stolen)
        {
            foreach (var client in new[] { clientA, clientB })
            {
                using var verified = await client.VerifyAsync(access);
                Assert.Equal(HttpStatusCode.Unauthorized, verified.StatusCode);
            }

            await Expect.InvalidGrantAsync(clientB, refresh);
        }

        // Nobody's session list shows an attacker's session (asked with a token still valid, if any: the owner's after a change).
        foreach (var (access, _) in stolen)
        {
            using var sessions = await clientA.SessionsAsync(access);
            if (sessions.StatusCode == HttpStatusCode.OK)
            {
                using var json = await sessions.JsonAsync();
                Assert.DoesNotContain(json.RootElement.GetProperty("sessions").EnumerateArray(), s => ids.Contains(s.GetProperty("id").GetString()!));
            }
        }
    }

    // A password check that takes a while (tens of ms), as in production, so a sign-in can straddle the change.
    private static readonly Dictionary<string, string?> SlowHashes = new() { ["FuncAuth:Passwords:Iterations"] = "100000" };

    private static Dictionary<string, string?> SharedTables(FuncAuthApp app) => new()
    {
        ["FuncAuth:Passwords:Iterations"] = "100000",
        ["FuncAuth:Storage:UsersTableName"] = app.Setting("FuncAuth:Storage:UsersTableName"),
        ["FuncAuth:Storage:RevokedTokensTableName"] = app.Setting("FuncAuth:Storage:RevokedTokensTableName"),
        ["FuncAuth:Storage:SessionsTableName"] = app.Setting("FuncAuth:Storage:SessionsTableName"),
        ["FuncAuth:Storage:LoginAttemptsTableName"] = app.Setting("FuncAuth:Storage:LoginAttemptsTableName"),
    };

    private sealed record Race(IReadOnlyList<(string Access, string Refresh)> Stolen, int AfterChange)
    {
        public int Total => Stolen.Count;
    }
}
