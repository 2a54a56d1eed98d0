using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncAuth.Revocation;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Sessions;

/// <summary>
/// Issue #19.4: an ended session never serves a refresh again, whatever failed halfway. Removing its rows is made to
/// fail (or to hang until the client gives up), the clock is moved past the revocation marks' expiry and the marks are
/// forgotten: every way of ending a session still leaves its refresh token refused, while a session nobody ended goes on.
/// </summary>
public sealed class EndedSessionTests(StorageFixture storage)
{
    // Past access-token lifetime (15 min) + skew + retention, and into a later revocation bucket.
    private static readonly TimeSpan PastTheMarks = TimeSpan.FromHours(2);

    [Fact]
    public async Task Every_way_of_ending_a_session_holds_when_removing_its_rows_fails_and_its_marks_are_forgotten()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new SessionRowFaults();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00",
            ["FuncAuth:Storage:MaxRetries"] = "1",
        })
        { Time = clock, TestServices = services => services.AddSingleton<HttpPipelinePolicy>(faults) };
        faults.Table = app.Setting("FuncAuth:Storage:SessionsTableName");
        using var client = app.CreateClient();

        var user = AuthClient.NewUsername();
        var (caller, _) = await client.RegisterAndStartSessionAsync(user);
        var (loggedOut, loggedOutRefresh) = await client.StartSessionAsync(user);
        var (_, revokedRefresh) = await client.StartSessionAsync(user);
        var (_, reusedRefresh) = await client.StartSessionAsync(user);
        var (endedById, endedByIdRefresh) = await client.StartSessionAsync(user);
        string reusedSuccessor;
        using (var rotated = await client.RefreshAsync(reusedRefresh))
        {
            reusedSuccessor = (await rotated.TokensAsync()).Refresh;
        }

        var everywhere = AuthClient.NewUsername();
        var (device1, _) = await client.RegisterAndStartSessionAsync(everywhere);
        var (_, device2Refresh) = await client.StartSessionAsync(everywhere);
        var (_, untouched) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        faults.Fail = true;
        using (var logout = await client.LogoutAsync(loggedOut))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var revoke = await client.RevokeAsync(revokedRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await Expect.InvalidGrantAsync(client, reusedRefresh);
        using (var ended = await client.EndSessionAsync(caller, AuthClient.SessionIdOf(endedById)))
        {
            Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        }

        using (var global = await client.LogoutEverywhereAsync(device1))
        {
            Assert.Equal(HttpStatusCode.NoContent, global.StatusCode);
        }

        // Every removal was tried and failed (in the background): the rows are all still there.
        await EventuallyAsync(() => app.Logs.Lines.Count(l => l.Contains("could not be removed now", StringComparison.Ordinal)) >= 6);
        Assert.True(faults.Failed >= 6, $"{faults.Failed} removals failed");

        clock.Advance(PastTheMarks);
        var revocations = app.Services.GetRequiredService<RevocationSync>();
        revocations.RemoveExpired();
        await revocations.SyncAsync();
        var state = app.Services.GetRequiredService<RevocationCache>();
        Assert.False(state.IsRevoked(new FuncAuth.Tokens.AccessToken("x", SubjectOf(loggedOut), user, "i", "a", clock.GetUtcNow().AddHours(-3), clock.GetUtcNow().AddHours(-3), clock.GetUtcNow(), AuthClient.SessionIdOf(loggedOut))),
            "The logout's session mark is still in memory: the test does not reach the case it is about.");

        foreach (var refresh in new[] { loggedOutRefresh, revokedRefresh, reusedSuccessor, endedByIdRefresh, device2Refresh })
        {
            await Expect.InvalidGrantAsync(client, refresh);
        }

        using var stillGood = await client.RefreshAsync(untouched);
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
    }

    [Fact]
    public async Task A_logout_whose_client_hangs_up_while_the_rows_are_being_removed_leaves_the_session_ended()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var faults = new SessionRowFaults { Delay = TimeSpan.FromSeconds(1) };
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Storage:MaxRetries"] = "0" })
        {
            Time = clock,
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(faults),
        };
        faults.Table = app.Setting("FuncAuth:Storage:SessionsTableName");
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        // Removing rows hangs for a second and then fails; the client gives up after 300 ms.
        faults.Fail = true;
        using (var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            try
            {
                using var logout = await client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, "api/auth/logout", access), hangUp.Token);
                Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        clock.Advance(PastTheMarks);
        var revocations = app.Services.GetRequiredService<RevocationSync>();
        revocations.RemoveExpired();
        await revocations.SyncAsync();
        await Expect.InvalidGrantAsync(client, refresh);
    }

    private static string SubjectOf(string accessToken) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(accessToken).Subject;

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not within 20 s.");
            await Task.Delay(50);
        }
    }

    /// <summary>While <see cref="Fail"/> is set, every DELETE of a row of the sessions table waits <see cref="Delay"/>, then fails as a reset connection.</summary>
    private sealed class SessionRowFaults : HttpPipelinePolicy
    {
        private int _failed;
        private volatile bool _fail;

        public string Table { get; set; } = string.Empty;

        public bool Fail
        {
            get => _fail;
            set => _fail = value;
        }

        public TimeSpan Delay { get; init; }

        public int Failed => Volatile.Read(ref _failed);

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Applies(message))
            {
                Thread.Sleep(Delay);
                throw Fault();
            }

            ProcessNext(message, pipeline);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Applies(message))
            {
                await Task.Delay(Delay);
                throw Fault();
            }

            await ProcessNextAsync(message, pipeline);
        }

        private bool Applies(HttpMessage message) =>
            Fail && message.Request.Method == RequestMethod.Delete && message.Request.Uri.Path.Contains("/" + Table + "(", StringComparison.Ordinal);

        private IOException Fault()
        {
            Interlocked.Increment(ref _failed);
            return new IOException("Injected: the connection was reset.");
        }
    }
}
