using System.Net;
using FuncAuth.Http;
using FuncAuth.Mfa;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.Mfa;
using FuncAuth.Tests.Passkeys;
using FuncAuth.Tests.SingleSignOn;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// An account with TOTP on that an administrator disables: the password step says disabled (before asking for a code),
/// and an mfa_token minted before the disable completes nothing: <c>login/mfa</c> answers 403 account-disabled and the mfa
/// grant invalid_grant with the same description. On the hosted pages, the second step and the passkey button show the
/// disabled message (after the right code / a valid assertion), and no session cookie is set.
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

    [Fact]
    public async Task The_hosted_second_step_and_passkey_button_show_the_disabled_message()
    {
        const string Authorize = "client_id=web-app&state=xyz";
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var withTotp = AuthClient.NewUsername();
        var (_, secret, _) = await client.RegisterWithTotpAsync(withTotp, clock);
        var withPasskey = AuthClient.NewUsername();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await client.AddPasskeyAsync(await client.RegisterAndLoginAsync(withPasskey, TotpClient.Password), authenticator);
        clock.Advance(TimeSpan.FromSeconds(30));

        // The second step, begun before the switch.
        using var browser = SignInForms.Browser(app);
        using var password = await browser.SignInAsync(withTotp, TotpClient.Password, authorizeQuery: Authorize);
        var step = await password.Content.ReadAsStringAsync();
        var mfaToken = SignInForms.Hidden(step, "mfa_token");
        var csrf = SignInForms.Hidden(step, "csrf")!;
        Assert.False(string.IsNullOrEmpty(mfaToken));
        await AdminSwitches.SetDisabledAsync(app, withTotp, disabled: true);
        using (var code = await browser.PostFormAsync(
            FuncAuthRoutes.SecondFactorPage, ("csrf", csrf), ("authorize", Authorize), ("mfa_token", mfaToken), ("code", TotpClient.Code(secret, clock.GetUtcNow()))))
        {
            Assert.Equal(HttpStatusCode.OK, code.StatusCode);
            Assert.Equal(DisabledDetail, SignInForms.Alert(await code.Content.ReadAsStringAsync()));
            Assert.Null(SignInForms.SetCookie(code, PageCookies.SessionName));
        }

        // The passkey button: a valid assertion of a disabled account.
        await AdminSwitches.SetDisabledAsync(app, withPasskey, disabled: true);
        var (form, formCsrf) = await browser.FormAsync(FuncAuthRoutes.LoginPage + "?" + Authorize);
        var assertion = authenticator.CreateAssertionJson(await client.LoginOptionsAsync());
        using var passkey = await browser.PostFormAsync(
            FuncAuthRoutes.PasskeyLoginPage, ("csrf", formCsrf), ("authorize", SignInForms.Hidden(form, "authorize")), (LoginPage.CredentialField, assertion));
        Assert.Equal(HttpStatusCode.OK, passkey.StatusCode);
        Assert.Equal(DisabledDetail, SignInForms.Alert(await passkey.Content.ReadAsStringAsync()));
        Assert.Null(SignInForms.SetCookie(passkey, PageCookies.SessionName));
    }
}
