using System.Net;
using System.Net.Http.Json;
using FuncAuth.Accounts;
using FuncAuth.Mfa;
using FuncAuth.Sessions;
using FuncAuth.Tests.OpenIdConnect;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Mfa;

/// <summary>
/// Signing in with TOTP on, over HTTP through the real pipeline, with codes computed from the secret under a fake clock:
/// login and the password grant answer mfa_required, a code completes it (amr pwd, otp, mfa), a code signs in once (also
/// when two requests race), one step of tolerance and no more, wrong codes lock like wrong passwords, and the mfa token is
/// single use, short-lived, bound to its password step and to its kind of session.
/// </summary>
public sealed class TotpSignInTests(StorageFixture storage)
{
    [Fact]
    public async Task Login_answers_mfa_required_and_a_code_completes_it_with_amr_pwd_otp_mfa_in_the_token_and_verify()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);

        using (var login = await client.LoginAsync(username, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
            Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);
            using var problem = await login.JsonAsync();
            Assert.Equal("urn:funcauth:problem:mfa-required", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal(43, problem.RootElement.GetProperty("mfa_token").GetString()!.Length);
            Assert.False(problem.RootElement.TryGetProperty("access_token", out _));
        }

        // A wrong password still gets login's one 401: mfa_required is only ever said after the right one.
        using (var wrong = await client.LoginAsync(username, "not the password"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var mfaToken = await client.MfaTokenAsync(username);
        using var completed = await client.SecondFactorAsync(mfaToken, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var (access, refresh) = await completed.TokensAsync();
        Assert.Equal(["pwd", "otp", "mfa"], TotpClient.Amr(access));

        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var verifiedJson = await verified.JsonAsync();
        Assert.Equal(["pwd", "otp", "mfa"], verifiedJson.RootElement.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));

        // A refresh keeps saying how the session began.
        using var refreshed = await client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal(["pwd", "otp", "mfa"], TotpClient.Amr((await refreshed.TokensAsync()).Access));
    }

    [Fact]
    public async Task The_password_grant_answers_mfa_required_and_the_mfa_grant_completes_it()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);

        using var password = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", TotpClient.Password));
        Assert.Equal(HttpStatusCode.Forbidden, password.StatusCode);
        Assert.Equal("application/json", password.Content.Headers.ContentType?.MediaType);
        using var error = await password.JsonAsync();
        Assert.Equal("mfa_required", error.RootElement.GetProperty("error").GetString());
        var mfaToken = error.RootElement.GetProperty("mfa_token").GetString()!;

        // A wrong code: invalid_grant, and the token still works.
        using (var wrong = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", "000000")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal("invalid_grant", await wrong.ErrorAsync());
        }

        using (var both = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", "123456"), ("recovery_code", "AAAAA-AAAAA")))
        {
            Assert.Equal("invalid_request", await both.ErrorAsync());
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        using var granted = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", TotpClient.Code(secret, clock.GetUtcNow())));
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(["pwd", "otp", "mfa"], TotpClient.Amr((await granted.TokensAsync()).Access));

        // Spent: the same token again is invalid_grant saying to sign in again.
        clock.Advance(TimeSpan.FromSeconds(30));
        using var again = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", TotpClient.Code(secret, clock.GetUtcNow())));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        using var againJson = await again.JsonAsync();
        Assert.Equal("invalid_grant", againJson.RootElement.GetProperty("error").GetString());
        Assert.Contains("sign in again", againJson.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_signs_in_once_and_an_older_one_never()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);

        // The confirming code itself cannot sign in.
        var confirming = TotpClient.Code(secret, clock.GetUtcNow());
        using (var replayedConfirmation = await client.SecondFactorAsync(await client.MfaTokenAsync(username), confirming))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replayedConfirmation.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var code = TotpClient.Code(secret, clock.GetUtcNow());
        using (var first = await client.SecondFactorAsync(await client.MfaTokenAsync(username), code))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // The same code with a new password step: refused with login's one answer.
        using (var replayed = await client.SecondFactorAsync(await client.MfaTokenAsync(username), code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
            using var problem = await replayed.JsonAsync();
            Assert.Equal(FuncAuth.Http.Problems.LoginFailureDetail, problem.RootElement.GetProperty("detail").GetString());
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains("TOTP code of user", StringComparison.Ordinal) && l.Contains("already used", StringComparison.Ordinal));

        // The previous step's code is still within the window, but older than the one accepted: refused too.
        clock.Advance(TimeSpan.FromSeconds(30));
        using (var older = await client.SecondFactorAsync(await client.MfaTokenAsync(username), code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, older.StatusCode);
        }

        using var next = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Two_requests_racing_with_the_same_code_start_exactly_one_session()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, secret, _) = await client.RegisterWithTotpAsync(username, clock);
        clock.Advance(TimeSpan.FromSeconds(30));
        var code = TotpClient.Code(secret, clock.GetUtcNow());

        // Each with its own password step, so only the code decides; all sent at once.
        var tokens = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            tokens.Add(await client.MfaTokenAsync(username));
        }

        using var start = new ManualResetEventSlim();
        var racing = tokens.Select(t => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.SecondFactorAsync(t, code);
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(racing);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));

        // The registration's session, the one the race started: two.
        using var sessions = await client.SessionsAsync(access);
        using var json = await sessions.JsonAsync();
        Assert.Equal(2, json.RootElement.GetProperty("sessions").GetArrayLength());
    }

    [Fact]
    public async Task One_step_of_clock_difference_is_tolerated_and_two_are_not()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);
        clock.Advance(TimeSpan.FromMinutes(2));
        var now = clock.GetUtcNow();

        using (var twoAhead = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, now.AddSeconds(60))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, twoAhead.StatusCode);
        }

        using (var twoBehind = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, now.AddSeconds(-60))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, twoBehind.StatusCode);
        }

        using (var oneBehind = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, now.AddSeconds(-30))))
        {
            Assert.Equal(HttpStatusCode.OK, oneBehind.StatusCode);
        }

        using var oneAhead = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, now.AddSeconds(30)));
        Assert.Equal(HttpStatusCode.OK, oneAhead.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_lock_the_account_as_wrong_passwords_do_and_the_right_code_is_then_refused()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);
        clock.Advance(TimeSpan.FromSeconds(30));

        var mfaToken = await client.MfaTokenAsync(username);
        var right = TotpClient.Code(secret, clock.GetUtcNow());
        var wrong = right == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
        {
            using var refused = await client.SecondFactorAsync(mfaToken, wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("locked for 00:01:00", StringComparison.Ordinal));

        // Locked: the right code (with a token still live) is refused alike, and so is the right password.
        using (var locked = await client.SecondFactorAsync(mfaToken, right))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        using (var password = await client.LoginAsync(username, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, password.StatusCode);
        }

        // After the lockout the token (still within its 5 minutes) and a current code sign in.
        clock.Advance(TimeSpan.FromSeconds(61));
        using var after = await client.SecondFactorAsync(mfaToken, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task An_mfa_token_completes_one_sign_in_even_when_two_race()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, _, recoveryCodes) = await client.RegisterWithTotpAsync(username, clock);
        var mfaToken = await client.MfaTokenAsync(username);

        // Two right recovery codes, one token: the token decides.
        using var start = new ManualResetEventSlim();
        var racing = recoveryCodes.Take(4).Select(code => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.SecondFactorAsync(mfaToken, recoveryCode: code);
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(racing);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_mfa_token_expires_after_five_minutes_and_is_void_once_the_password_changes()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, secret, _) = await client.RegisterWithTotpAsync(username, clock);

        var expiring = await client.MfaTokenAsync(username);
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        using (var expired = await client.SecondFactorAsync(expiring, TotpClient.Code(secret, clock.GetUtcNow())))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Equal("Bearer", expired.Challenge());
            using var problem = await expired.JsonAsync();
            Assert.Equal(TotpEndpoints.MfaTokenInvalidDetail, problem.RootElement.GetProperty("detail").GetString());
        }

        var beforeChange = await client.MfaTokenAsync(username);
        using (var changed = await client.ChangePasswordAsync(access, TotpClient.Password, "a brand new passphrase"))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        using var stale = await client.SecondFactorAsync(beforeChange, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        using var staleProblem = await stale.JsonAsync();
        Assert.Equal(TotpEndpoints.MfaTokenInvalidDetail, staleProblem.RootElement.GetProperty("detail").GetString());

        // The new password's step works, with the same (not yet accepted) code.
        using var fresh = await client.SecondFactorAsync(await client.MfaTokenAsync(username, "a brand new passphrase"), TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task An_mfa_token_minted_for_a_direct_session_does_not_complete_a_browser_one()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);
        var mfaToken = await client.MfaTokenAsync(username);
        clock.Advance(TimeSpan.FromSeconds(30));
        var code = TotpClient.Code(secret, clock.GetUtcNow());

        var secondFactor = app.Services.GetRequiredService<SecondFactorSignIn>();
        var asBrowser = await secondFactor.CompleteAsync(mfaToken, code, null, SessionKind.Browser, CancellationToken.None);
        Assert.Equal(SignInOutcome.MfaTokenInvalid, asBrowser.Outcome);

        // And a browser's token is not the API's: minted by the password step of the hosted page.
        Assert.True(Username.TryCreate(username, out var name, out _));
        var browserStep = await app.Services.GetRequiredService<PasswordSignIn>().SignInAsync(name!, Pw(TotpClient.Password), SessionKind.Browser, CancellationToken.None);
        Assert.Equal(SignInOutcome.MfaRequired, browserStep.Outcome);
        using (var viaApi = await client.SecondFactorAsync(browserStep.MfaToken!, code))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, viaApi.StatusCode);
        }

        var browser = await secondFactor.CompleteAsync(browserStep.MfaToken, code, null, SessionKind.Browser, CancellationToken.None);
        Assert.Equal(SignInOutcome.Succeeded, browser.Outcome);
        Assert.Equal(["pwd", "otp", "mfa"], browser.SignIn!.Session.AuthenticationMethods);
    }

    [Fact]
    public async Task The_second_step_refuses_malformed_bodies_with_400()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();

        using var both = await client.PostAsJsonAsync("api/auth/login/mfa", new { mfa_token = "x", code = "123456", recovery_code = "AAAAA-AAAAA" });
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        using var neither = await client.PostAsJsonAsync("api/auth/login/mfa", new { mfa_token = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, neither.StatusCode);
        using var noToken = await client.PostAsJsonAsync("api/auth/login/mfa", new { code = "123456" });
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        using var unknown = await client.SecondFactorAsync(new string('a', 43), "123456");
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_mfa_grant_draws_on_the_password_budget_and_spent_or_expired_tokens_leave_the_table()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock, new Dictionary<string, string?> { ["FuncAuth:Throttling:PermitLimit"] = "6" });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();

        // Register, login, enrol, confirm and the password step draw five of the six: one grant is left, then 429.
        var (_, _, _) = await client.RegisterWithTotpAsync(username, clock);
        var mfaToken = await client.MfaTokenAsync(username);
        using (var first = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", "000000")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        }

        using (var over = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", mfaToken), ("otp", "000000")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        }

        // The mfa token is a one-time token like the others: the hourly purge removes it once expired.
        var table = app.Table("FuncAuth:Storage:OneTimeTokensTableName");
        Assert.Equal(1, await CountAsync(table));
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(1, await app.Services.GetRequiredService<FuncAuth.Email.OneTimeTokens>().PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await CountAsync(table));
    }

    private static async Task<int> CountAsync(Azure.Data.Tables.TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "token"))
        {
            count++;
        }

        return count;
    }

    private static Password Pw(string text)
    {
        Assert.True(Password.TryCreate(text, out var password, out _));
        return password!;
    }
}
