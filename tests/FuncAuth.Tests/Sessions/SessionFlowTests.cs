using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Sessions;

/// <summary>
/// Sessions through the real pipeline on real storage: login starts one, refresh rotates its token, spent tokens
/// end it, lifetimes end it, and logout, revocation and the sessions endpoints end it on purpose.
/// </summary>
public sealed class SessionFlowTests(StorageFixture storage)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Login_returns_a_refresh_token_and_an_access_token_naming_its_session()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var login = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
        using var json = await login.JsonAsync();
        Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var refresh = json.RootElement.GetProperty("refresh_token").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", refresh);
        Assert.Equal(32, Convert.FromBase64String(refresh.Replace('-', '+').Replace('_', '/') + "=").Length);

        var access = json.RootElement.GetProperty("access_token").GetString()!;
        var sid = AuthClient.SessionIdOf(access);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", sid);
        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var claims = await verified.JsonAsync();
        Assert.Equal(sid, claims.RootElement.GetProperty("sid").GetString());

        // Stored: the session under its user, and nothing anywhere that holds the refresh token in clear.
        var table = app.Table("FuncAuth:Storage:SessionsTableName");
        var session = (await table.GetEntityAsync<TableEntity>(claims.RootElement.GetProperty("sub").GetString(), sid)).Value;
        Assert.Equal(username, session.GetString("Username"));
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain(entity, p => p.Value is string text && text.Contains(refresh, StringComparison.Ordinal));
            Assert.DoesNotContain(refresh, entity.PartitionKey + entity.RowKey, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_within_the_same_session()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        using var first = await client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        var (access1, refresh1) = await first.TokensAsync();
        Assert.NotEqual(refresh, refresh1);
        Assert.NotEqual(access, access1);
        Assert.Equal(AuthClient.SessionIdOf(access), AuthClient.SessionIdOf(access1));
        using (var verified = await client.VerifyAsync(access1))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // The chain goes on from the newest token.
        using var second = await client.RefreshAsync(refresh1);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var (_, refresh2) = await second.TokensAsync();
        Assert.NotEqual(refresh1, refresh2);
    }

    [Fact]
    public async Task A_refresh_token_past_its_idle_lifetime_or_its_session_past_its_absolute_lifetime_is_refused()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshTokenLifetime"] = "1.00:00:00",
            ["FuncAuth:Sessions:SessionLifetime"] = "3.00:00:00",
        })
        { Time = clock };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, idle) = await client.RegisterAndStartSessionAsync(username);
        var (_, active) = await client.StartSessionAsync(username);

        // Used within each day, a session lives until its absolute lifetime, and no longer; unused for a day, it ends.
        foreach (var at in new[] { TimeSpan.FromHours(20), TimeSpan.FromHours(40), TimeSpan.FromHours(60), TimeSpan.FromHours(72) - TimeSpan.FromMinutes(5) })
        {
            clock.SetUtcNow(start + at);
            using var refreshed = await client.RefreshAsync(active);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            (var access, active) = await refreshed.TokensAsync();

            // An access token never outlives its session: the last one ends with it, 5 minutes in.
            var expires = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(access).ValidTo;
            Assert.Equal(Min(start + at + TimeSpan.FromMinutes(15), start + TimeSpan.FromDays(3)).UtcDateTime, expires);
            if (at == TimeSpan.FromHours(20))
            {
                clock.SetUtcNow(start + TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
                await Expect.InvalidGrantAsync(client, idle);
            }
        }

        clock.SetUtcNow(start + TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1));
        await Expect.InvalidGrantAsync(client, active);
    }

    [Fact]
    public async Task Presenting_a_spent_refresh_token_after_the_reuse_interval_ends_the_whole_session()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = clock };
        using var client = app.CreateClient();
        var (access0, refresh0) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        using var rotated = await client.RefreshAsync(refresh0);
        var (access1, refresh1) = await rotated.TokensAsync();

        clock.Advance(TimeSpan.FromSeconds(11));
        using var replay = await client.RefreshAsync(refresh0);
        await Expect.OAuthErrorAsync(replay, "invalid_grant");

        // The session is over for everyone: the thief's token and the rightful client's alike.
        await Expect.RevokedAsync(client, access0);
        await Expect.RevokedAsync(client, access1);
        await Expect.InvalidGrantAsync(client, refresh1);

        // A security event names the user and the session, never a token.
        var sid = AuthClient.SessionIdOf(access0);
        var warning = Assert.Single(app.Logs.Lines, line => line.Contains("spent refresh token", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains(sid, warning, StringComparison.Ordinal);
        Assert.All(app.Logs.Lines, line =>
        {
            Assert.DoesNotContain(refresh0, line, StringComparison.Ordinal);
            Assert.DoesNotContain(refresh1, line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Within_the_reuse_interval_the_spent_token_answers_with_the_same_successor_but_an_older_ancestor_ends_the_session()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (_, refresh0) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        using var winner = await client.RefreshAsync(refresh0);
        var (access1, refresh1) = await winner.TokensAsync();

        // A second tab with the same token, a moment later: a race, not a theft.
        using var racer = await client.RefreshAsync(refresh0);
        Assert.Equal(HttpStatusCode.OK, racer.StatusCode);
        var (racerAccess, racerRefresh) = await racer.TokensAsync();
        Assert.Equal(refresh1, racerRefresh);
        Assert.NotEqual(access1, racerAccess);
        using (var verified = await client.VerifyAsync(racerAccess))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // Both converge on one live token; from it the chain goes on.
        using var next = await client.RefreshAsync(refresh1);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var (access2, _) = await next.TokensAsync();

        // refresh0 is now two rotations old: within the interval or not, that is reuse.
        using var ancestor = await client.RefreshAsync(refresh0);
        await Expect.OAuthErrorAsync(ancestor, "invalid_grant");
        await Expect.RevokedAsync(client, access2);
    }

    [Fact]
    public async Task Logout_ends_the_session_of_the_token()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(username);
        var (otherAccess, otherRefresh) = await client.StartSessionAsync(username);
        using var refreshed = await client.RefreshAsync(refresh);
        var (sameSessionAccess, _) = await refreshed.TokensAsync();

        using (var logout = await client.LogoutAsync(access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        await Expect.RevokedAsync(client, access);
        await Expect.RevokedAsync(client, sameSessionAccess);
        await Expect.InvalidGrantAsync(client, refresh);

        // The user's other session is untouched.
        using (var verified = await client.VerifyAsync(otherAccess))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using var other = await client.RefreshAsync(otherRefresh);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // Again: the token is revoked, and refused as such.
        using var again = await client.LogoutAsync(access);
        Expect.Revoked(again);
    }

    [Fact]
    public async Task Logout_everywhere_ends_every_session_and_a_login_in_the_same_second_still_works()
    {
        // The clock stands still: the logout and the logins around it share one second (and one instant).
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, 500, TimeSpan.Zero));
        await using var app = new FuncAuthApp(storage.ConnectionString) { Time = clock };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var sessions = new List<(string Access, string Refresh)> { await client.RegisterAndStartSessionAsync(username) };
        for (var i = 0; i < 2; i++)
        {
            sessions.Add(await client.StartSessionAsync(username));
        }

        using var refreshed = await client.RefreshAsync(sessions[1].Refresh);
        var (refreshedAccess, refreshedRefresh) = await refreshed.TokensAsync();
        var (strangerAccess, _) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        using (var logout = await client.LogoutEverywhereAsync(sessions[0].Access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        foreach (var (access, refresh) in sessions)
        {
            await Expect.RevokedAsync(client, access);
            await Expect.InvalidGrantAsync(client, refresh);
        }

        await Expect.RevokedAsync(client, refreshedAccess);
        await Expect.InvalidGrantAsync(client, refreshedRefresh);

        // Only this user: another user's session goes on.
        using (var stranger = await client.VerifyAsync(strangerAccess))
        {
            Assert.Equal(HttpStatusCode.OK, stranger.StatusCode);
        }

        // A login right after, in the same second, is a new session that works.
        var (fresh, freshRefresh) = await client.StartSessionAsync(username);
        using (var verified = await client.VerifyAsync(fresh))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using (var refreshedFresh = await client.RefreshAsync(freshRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, refreshedFresh.StatusCode);
        }

        using var list = await client.SessionsAsync(fresh);
        using var json = await list.JsonAsync();
        Assert.Equal(AuthClient.SessionIdOf(fresh), Assert.Single(json.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("id").GetString());

        // A revoked token cannot sign the user out everywhere (a stolen one must not).
        using var revoked = await client.LogoutEverywhereAsync(sessions[0].Access);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        using var stillThere = await client.VerifyAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task An_unknown_logout_scope_is_refused()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, _) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        foreach (var query in new[] { "?scope=everywhere", "?scope=GLOBAL", "?scope=global&scope=global" })
        {
            using var response = await client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, "api/auth/logout" + query, access));
            Expect.Problem(response, HttpStatusCode.BadRequest);
        }

        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
