using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FuncAuth.Revocation;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Revocation;

/// <summary>
/// Two instances sharing one storage account, as two Functions instances would: a revocation made through one
/// is refused by the other within the configured bound (2 s by default) and never accepted after it; a fresh
/// instance knows every revocation before its first answer; and verify itself makes no storage request.
/// </summary>
public sealed class CrossInstanceRevocationTests(StorageFixture storage)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_logout_on_one_instance_is_refused_by_another_within_the_bound()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString);
        await using var b = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        var token = await clientA.RegisterAndLoginAsync(AuthClient.NewUsername());
        await AssertStatus(clientB, token, HttpStatusCode.OK);

        using (var logout = await clientA.LogoutAsync(token))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var since = Stopwatch.StartNew();
        await AssertStatus(clientA, token, HttpStatusCode.Unauthorized);
        await AssertRefusedWithinBound(clientB, since, token);

        // A new instance knows it before its first answer.
        await using var c = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientC = c.CreateClient();
        await AssertStatus(clientC, token, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_everywhere_and_a_session_ended_by_refresh_token_reuse_on_one_instance_are_refused_by_another_within_the_bound()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00",
        });
        await using var b = new FuncAuthApp(storage.ConnectionString, SharedTables(a));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();

        // One user with two sessions (logout everywhere), another whose refresh token is replayed (reuse).
        var everywhere = AuthClient.NewUsername();
        var (first, _) = await clientA.RegisterAndStartSessionAsync(everywhere);
        var (second, secondRefresh) = await clientB.StartSessionAsync(everywhere);
        var (victim, victimRefresh) = await clientA.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        foreach (var token in new[] { first, second, victim })
        {
            await AssertStatus(clientB, token, HttpStatusCode.OK);
        }

        using (var rotated = await clientA.RefreshAsync(victimRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        using (var logout = await clientA.LogoutEverywhereAsync(first))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using (var replay = await clientA.RefreshAsync(victimRefresh))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        }

        var since = Stopwatch.StartNew();
        await AssertRefusedWithinBound(clientB, since, first, second, victim);
        using var refused = await clientB.RefreshAsync(secondRefresh);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Ended_sessions_and_a_users_cutoff_written_elsewhere_are_refused_within_the_bound()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var session = TestTokens.Claims(now);
        session["sid"] = Guid.NewGuid().ToString("N");
        var sessionToken = TestTokens.Sign(TestTokens.Header(FuncAuthApp.SigningKey), session, FuncAuthApp.SigningKey);
        var userClaims = TestTokens.Claims(now.AddSeconds(-5));
        var userToken = TestTokens.Sign(TestTokens.Header(FuncAuthApp.SigningKey), userClaims, FuncAuthApp.SigningKey);
        var otherSessionClaims = TestTokens.Claims(now);
        otherSessionClaims["sid"] = Guid.NewGuid().ToString("N");
        var untouched = TestTokens.Sign(TestTokens.Header(FuncAuthApp.SigningKey), otherSessionClaims, FuncAuthApp.SigningKey);
        foreach (var token in new[] { sessionToken, userToken, untouched })
        {
            await AssertStatus(client, token, HttpStatusCode.OK);
        }

        // What the sessions feature's other instances will write: a session ended, and a user signed out everywhere.
        var table = app.Table("FuncAuth:Storage:RevokedTokensTableName");
        var expires = now.AddMinutes(15);
        await table.AddEntityAsync(new TableEntity(RevocationTable.Bucket(expires), $"session:{session["sid"]}") { ["ExpiresAt"] = expires });
        await table.AddEntityAsync(new TableEntity(RevocationTable.Bucket(expires), $"user:{userClaims["sub"]}")
        {
            ["ExpiresAt"] = expires,
            ["RevokedBefore"] = now,
        });

        var since = Stopwatch.StartNew();
        await AssertRefusedWithinBound(client, since, sessionToken, userToken);
        await AssertStatus(client, untouched, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Verify_makes_no_storage_request_of_its_own()
    {
        var counter = new RequestCounter();
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(counter),
        };
        using var client = app.CreateClient();
        var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        await AssertStatus(client, token, HttpStatusCode.OK);

        var before = counter.Count;
        var elapsed = Stopwatch.StartNew();
        for (var i = 0; i < 500; i++)
        {
            using var verified = await client.VerifyAsync(token);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // Only the background sync reads storage: about one query a second, whatever the request rate.
        var requests = counter.Count - before;
        Assert.InRange(requests, 0, (int)elapsed.Elapsed.TotalSeconds + 2);
    }

    private static Dictionary<string, string?> SharedTables(FuncAuthApp app) => new()
    {
        ["FuncAuth:Storage:UsersTableName"] = app.Setting("FuncAuth:Storage:UsersTableName"),
        ["FuncAuth:Storage:RevokedTokensTableName"] = app.Setting("FuncAuth:Storage:RevokedTokensTableName"),
        ["FuncAuth:Storage:SessionsTableName"] = app.Setting("FuncAuth:Storage:SessionsTableName"),
    };

    private static async Task AssertStatus(HttpClient client, string token, HttpStatusCode expected)
    {
        using var response = await client.VerifyAsync(token);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Polls until a while past the bound: each token accepted at most until the bound, refused from then on.</summary>
    private static async Task AssertRefusedWithinBound(HttpClient client, Stopwatch since, params string[] tokens)
    {
        var refused = new bool[tokens.Length];
        while (since.Elapsed < Bound + TimeSpan.FromSeconds(1))
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                var asked = since.Elapsed;
                using var response = await client.VerifyAsync(tokens[i]);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    Assert.Contains("has been revoked", response.Challenge(), StringComparison.Ordinal);
                    refused[i] = true;
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.False(refused[i], "Accepted again after it had been refused.");
                    Assert.True(asked < Bound, $"Still accepted {asked.TotalMilliseconds:F0} ms after the revocation; the bound is {Bound.TotalMilliseconds} ms.");
                }
            }

            await Task.Delay(50);
        }

        Assert.All(refused, Assert.True);
    }

    private sealed class RequestCounter : InspectingPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override void Inspect(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
