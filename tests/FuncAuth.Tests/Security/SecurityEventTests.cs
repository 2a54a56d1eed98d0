using System.Net;
using FuncAuth.Tests.Sessions;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Every log line of a whole life cycle, lockout and refresh-token reuse included: each security outcome is there as
/// its named event, and no password, access token or refresh token is anywhere in the output.
/// </summary>
public sealed class SecurityEventTests(StorageFixture storage)
{
    [Fact]
    public async Task The_full_flow_logs_named_security_events_and_never_a_password_or_token()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00",
        });
        using var client = app.CreateClient();
        var secrets = new List<string>();
        const string Password = "correct horse battery";
        const string NewPassword = "saffron kettle drums";
        const string WrongPassword = "wrong-password-9f3a";
        secrets.AddRange([Password, NewPassword, WrongPassword]);
        var username = AuthClient.NewUsername();

        var (access, refresh) = await client.RegisterAndStartSessionAsync(username, Password);
        secrets.AddRange([access, refresh]);
        using (var verified = await client.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        // Rotation, then reuse of the spent token: the session ends with a warning.
        using (var rotated = await client.RefreshAsync(refresh))
        {
            var (a, r) = await rotated.TokensAsync();
            secrets.AddRange([a, r]);
        }

        using (var reused = await client.RefreshAsync(refresh))
        {
            Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        }

        // A password grant, RFC 7009 revocation of an access token, the sessions endpoints, a password change.
        using var grant = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password));
        var (grantAccess, grantRefresh) = await grant.TokensAsync();
        secrets.AddRange([grantAccess, grantRefresh]);
        var (second, secondRefresh) = await client.StartSessionAsync(username, Password);
        secrets.AddRange([second, secondRefresh]);
        (await client.RevokeAsync(second)).Dispose();
        (await client.SessionsAsync(grantAccess)).Dispose();
        var (third, thirdRefresh) = await client.StartSessionAsync(username, Password);
        secrets.AddRange([third, thirdRefresh]);
        (await client.EndSessionAsync(grantAccess, AuthClient.SessionIdOf(third))).Dispose();
        using (var changed = await client.ChangePasswordAsync(grantAccess, Password, NewPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        // Lockout, for this name and for a name nobody has.
        for (var i = 0; i < 6; i++)
        {
            (await client.LoginAsync(username, WrongPassword)).Dispose();
            (await client.LoginAsync("nobody-" + username, WrongPassword)).Dispose();
        }

        // Logout everywhere, then deleting the account (after the lockout ends for the test's clockless app: a fresh name).
        using (var everywhere = await client.LogoutEverywhereAsync(grantAccess))
        {
            Assert.Equal(HttpStatusCode.NoContent, everywhere.StatusCode);
        }

        var other = AuthClient.NewUsername();
        var (doomed, doomedRefresh) = await client.RegisterAndStartSessionAsync(other, Password);
        secrets.AddRange([doomed, doomedRefresh]);
        using (var deleted = await client.DeleteAccountAsync(doomed, Password))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var names = app.Logs.Events.Select(e => e.Name).Where(n => n is not null).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[]
                 {
                     "Registered", "LoginSucceeded", "LoginFailed", "AccountLocked", "LoginRefusedWhileLocked", "RefreshTokenReused",
                     "SessionEnded", "TokenRevoked", "PasswordChanged", "LoggedOutEverywhere", "AccountDeleted",
                 })
        {
            Assert.Contains(expected, names);
        }

        Assert.All(app.Logs.Lines, line =>
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }

            // Not even a token's signature alone.
            foreach (var token in secrets.Where(s => s.Count(c => c == '.') == 2))
            {
                Assert.DoesNotContain(token[(token.LastIndexOf('.') + 1)..], line, StringComparison.Ordinal);
            }
        });
        Assert.True(app.Logs.Lines.Count > 30, $"Only {app.Logs.Lines.Count} log lines: the capture is not seeing the app.");
    }

    [Fact]
    public async Task An_account_deletion_logs_its_own_events_not_a_password_changes_or_a_logouts()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, _) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        using (var refused = await client.DeleteAccountAsync(access, "wrong-password-9f3a"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var deleted = await client.DeleteAccountAsync(access, "correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var names = app.Logs.Events.Select(e => e.Name).ToList();
        Assert.Single(names, n => n == "AccountDeletionRefused");
        Assert.Single(names, n => n == "AccountDeleted");
        Assert.DoesNotContain("PasswordChangeRefused", names);
        Assert.DoesNotContain("LoggedOutEverywhere", names);
        Assert.Contains(app.Logs.Lines, l => l.Contains("ended: account deleted", StringComparison.Ordinal));
    }
}
