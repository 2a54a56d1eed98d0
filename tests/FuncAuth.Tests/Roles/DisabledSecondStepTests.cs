using System.Net;
using FuncAuth.Mfa;
using FuncAuth.Tests.Mfa;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// An account with TOTP on that an administrator disables: the password step says disabled (before asking for a code),
/// and an mfa_token minted before the disable completes nothing: <c>login/mfa</c> answers 403 account-disabled and the mfa
/// grant invalid_grant with the same description.
/// </summary>
public sealed class DisabledSecondStepTests(StorageFixture storage)
{
    private const string DisabledDetail = "This account is disabled; contact your administrator.";

    [Fact]
    public async Task A_disabled_account_with_totp_is_told_at_the_password_step_and_at_a_second_step_begun_before()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);

        // Two password steps before the switch, one for each way to finish.
        clock.Advance(TimeSpan.FromSeconds(30));
        var forLogin = await client.MfaTokenAsync(username);
        var forGrant = await client.MfaTokenAsync(username);
        await AdminSwitches.SetDisabledAsync(app, username, disabled: true);

        using (var step = await client.SecondFactorAsync(forLogin, TotpClient.Code(secret, clock.GetUtcNow())))
        {
            Expect.Problem(step, HttpStatusCode.Forbidden);
            using var problem = await step.JsonAsync();
            Assert.Equal("urn:funcauth:problem:account-disabled", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal(DisabledDetail, problem.RootElement.GetProperty("detail").GetString());
        }

        using (var grant = await client.TokenAsync(("grant_type", MfaGrant.GrantType), ("mfa_token", forGrant), ("otp", TotpClient.Code(secret, clock.GetUtcNow()))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, grant.StatusCode);
            using var json = await grant.JsonAsync();
            Assert.Equal("invalid_grant", json.RootElement.GetProperty("error").GetString());
            Assert.Equal(DisabledDetail, json.RootElement.GetProperty("error_description").GetString());
        }

        // The password step now: disabled, no mfa_token (the code would not help).
        using var login = await client.LoginAsync(username, TotpClient.Password);
        Expect.Problem(login, HttpStatusCode.Forbidden);
        using var answer = await login.JsonAsync();
        Assert.Equal("urn:funcauth:problem:account-disabled", answer.RootElement.GetProperty("type").GetString());
        Assert.False(answer.RootElement.TryGetProperty("mfa_token", out _));
        Assert.Equal(DisabledDetail, answer.RootElement.GetProperty("detail").GetString());
    }
}
