using System.Net;
using System.Net.Http.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Sessions;

/// <summary>Listing and ending one's sessions, changing one's password, and RFC 7009 revocation.</summary>
public sealed class SessionEndpointsTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task The_sessions_list_shows_the_callers_active_sessions_and_which_is_theirs()
    {
        var username = AuthClient.NewUsername();
        var (first, _) = await Client.RegisterAndStartSessionAsync(username);
        var (second, _) = await Client.StartSessionAsync(username);
        await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        using var response = await Client.SessionsAsync(second);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = await response.JsonAsync();
        var sessions = json.RootElement.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal([AuthClient.SessionIdOf(second), AuthClient.SessionIdOf(first)], sessions.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([true, false], sessions.Select(s => s.GetProperty("current").GetBoolean()));
        foreach (var session in sessions)
        {
            Assert.Equal(["created_at", "current", "expires_at", "id", "last_used_at"], session.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            var created = session.GetProperty("created_at").GetDateTimeOffset();
            Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Equal(TimeSpan.Zero, created.Offset);
            Assert.Equal(created, session.GetProperty("last_used_at").GetDateTimeOffset());

            // Unused, a session ends when its refresh token's idle lifetime (14 days) does.
            Assert.Equal(created.AddDays(14), session.GetProperty("expires_at").GetDateTimeOffset());
        }

        using var anonymous = await Client.GetAsync("api/auth/sessions");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_user_ends_their_own_session_but_someone_elses_is_404_exactly_like_none()
    {
        var username = AuthClient.NewUsername();
        var (mine, _) = await Client.RegisterAndStartSessionAsync(username);
        var (myOther, myOtherRefresh) = await Client.StartSessionAsync(username);
        var (theirs, theirRefresh) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        using var someoneElses = await Client.EndSessionAsync(mine, AuthClient.SessionIdOf(theirs));
        using var none = await Client.EndSessionAsync(mine, "AAAAAAAAAAAAAAAAAAAAAA");
        using var malformed = await Client.EndSessionAsync(mine, "..%2F..%2Fadmin");
        foreach (var response in new[] { someoneElses, none, malformed })
        {
            Expect.Problem(response, HttpStatusCode.NotFound);
        }

        Assert.Equal(await Detail(someoneElses), await Detail(none));
        using (var stillTheirs = await Client.RefreshAsync(theirRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, stillTheirs.StatusCode);
        }

        using var ended = await Client.EndSessionAsync(mine, AuthClient.SessionIdOf(myOther));
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        await Expect.RevokedAsync(Client, myOther);
        await Expect.InvalidGrantAsync(Client, myOtherRefresh);
        using var list = await Client.SessionsAsync(mine);
        using var json = await list.JsonAsync();
        Assert.Equal(AuthClient.SessionIdOf(mine), Assert.Single(json.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("id").GetString());
        using var again = await Client.EndSessionAsync(mine, AuthClient.SessionIdOf(myOther));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);

        static async Task<string?> Detail(HttpResponseMessage response)
        {
            using var json = await response.JsonAsync();
            return json.RootElement.GetProperty("detail").GetString();
        }
    }

    [Fact]
    public async Task A_password_change_ends_the_other_sessions_keeps_the_callers_and_refuses_a_wrong_current_password()
    {
        var username = AuthClient.NewUsername();
        var (caller, callerRefresh) = await Client.RegisterAndStartSessionAsync(username);
        var (other, otherRefresh) = await Client.StartSessionAsync(username);

        using (var wrong = await Client.ChangePasswordAsync(caller, "not the password", "a brand new password"))
        {
            Expect.Problem(wrong, HttpStatusCode.Forbidden);
        }

        using (var tooShort = await Client.ChangePasswordAsync(caller, Password, "short"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
            using var json = await tooShort.JsonAsync();
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("new_password", out _));
        }

        // Nothing changed so far: the old password works and both sessions live.
        using (var login = await Client.LoginAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using (var verified = await Client.VerifyAsync(other))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using (var changed = await Client.ChangePasswordAsync(caller, Password, "a brand new password"))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        await Expect.RevokedAsync(Client, other);
        await Expect.InvalidGrantAsync(Client, otherRefresh);
        using (var kept = await Client.VerifyAsync(caller))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        using (var keptRefresh = await Client.RefreshAsync(callerRefresh))
        {
            Assert.Equal(HttpStatusCode.OK, keptRefresh.StatusCode);
        }

        using (var oldPassword = await Client.LoginAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        }

        using var newPassword = await Client.LoginAsync(username, "a brand new password");
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
    }

    [Fact]
    public async Task A_password_change_needs_a_json_body_and_a_live_token()
    {
        var (access, _) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        var form = AuthClient.WithBearer(HttpMethod.Post, "api/auth/password", access);
        form.Content = new FormUrlEncodedContent([new("current_password", Password), new("new_password", "a brand new password")]);
        using (var response = await Client.SendAsync(form))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        }

        var missing = AuthClient.WithBearer(HttpMethod.Post, "api/auth/password", access);
        missing.Content = JsonContent.Create(new { current_password = Password });
        using (var response = await Client.SendAsync(missing))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using (var logout = await Client.LogoutAsync(access))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        using var revoked = await Client.ChangePasswordAsync(access, Password, "a brand new password");
        Expect.Revoked(revoked);
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_session_and_revoking_an_access_token_revokes_just_that_token()
    {
        var username = AuthClient.NewUsername();
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(username);
        using (var revoked = await Client.RevokeAsync(refresh, "refresh_token"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            Assert.Equal("no-store", revoked.Headers.CacheControl?.ToString());
        }

        await Expect.RevokedAsync(Client, access);
        await Expect.InvalidGrantAsync(Client, refresh);

        // An access token (here with the wrong hint, which is only a hint): that token, not its session.
        var (access2, refresh2) = await Client.StartSessionAsync(username);
        using (var revoked = await Client.RevokeAsync(access2, "refresh_token"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        await Expect.RevokedAsync(Client, access2);
        using var refreshed = await Client.RefreshAsync(refresh2);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var (access3, _) = await refreshed.TokensAsync();
        using var verified = await Client.VerifyAsync(access3);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")]
    public async Task Revoking_an_invalid_token_is_still_200(string token)
    {
        using var response = await Client.RevokeAsync(token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revocation_without_a_token_is_invalid_request()
    {
        using var response = await Client.PostAsync("api/auth/revoke", new FormUrlEncodedContent([new("token_type_hint", "refresh_token")]));
        await Expect.OAuthErrorAsync(response, "invalid_request");
    }
}
