using System.Net;
using Azure.Data.Tables;
using FuncAuth.Http;
using FuncAuth.SingleSignOn;
using FuncAuth.Tests.OpenIdConnect;
using FuncAuth.Tests.Passkeys;
using FuncAuth.Tests.SingleSignOn;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// A disabled account cannot sign in by any way, and is told so only after it proved who it is: login and the password
/// grant after the right password (a wrong one gets the usual 401 / invalid_grant), a passkey after a valid assertion, the
/// hosted page after the right password. Its sessions cannot refresh, its code exchanges buy nothing, a disable racing
/// sign-ins leaves no usable session, and enabling it again revives nothing.
/// </summary>
public sealed class DisabledAccountTests(StorageFixture storage) : AppTests(OidcFixture.App(storage))
{
    private const string Password = "correct horse battery";
    private const string DisabledType = "urn:funcauth:problem:account-disabled";
    private const string DisabledDetail = "This account is disabled; contact your administrator.";

    [Fact]
    public async Task Login_says_disabled_only_after_the_right_password_and_starts_no_session()
    {
        var username = AuthClient.NewUsername();
        var (access, _) = await Client.RegisterAndStartSessionAsync(username, Password);
        var account = await AdminSwitches.SetDisabledAsync(App, username, disabled: true);

        using (var wrong = await Client.LoginAsync(username, "not the password"))
        {
            Expect.Problem(wrong, HttpStatusCode.Unauthorized);
            Assert.Equal(Problems.LoginFailureDetail, await wrong.DetailAsync());
        }

        using (var right = await Client.LoginAsync(username, Password))
        {
            Expect.Problem(right, HttpStatusCode.Forbidden);
            using var problem = await right.JsonAsync();
            Assert.Equal(DisabledType, problem.RootElement.GetProperty("type").GetString());
            Assert.Equal("Account disabled", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal(DisabledDetail, problem.RootElement.GetProperty("detail").GetString());
            Assert.False(problem.RootElement.TryGetProperty("access_token", out _));
        }

        // The event names the user only; and nothing of the user's is usable.
        var line = Assert.Single(App.Logs.Lines, l => l.Contains("SignInRefusedAccountDisabled", StringComparison.Ordinal) || l.Contains("is disabled; no session", StringComparison.Ordinal));
        Assert.Contains(account.Id, line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, line, StringComparison.Ordinal);
        Assert.Contains(App.Logs.Events, e => e.Id == 4120 && e.Name == "SignInRefusedAccountDisabled");
        using (var verify = await Client.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        }

        // Disabling a locked-out guesser's target changes nothing for the guesser: unknown names get the same 401.
        using var unknown = await Client.LoginAsync(AuthClient.NewUsername(), Password);
        Expect.Problem(unknown, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_password_grant_answers_invalid_grant_with_the_disabled_description_after_the_right_password()
    {
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username, Password);
        await AdminSwitches.SetDisabledAsync(App, username, disabled: true);

        using var wrong = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "not the password"));
        using (var json = await wrong.JsonAsync())
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal("invalid_grant", json.RootElement.GetProperty("error").GetString());
            Assert.Equal(Problems.LoginFailureDetail, json.RootElement.GetProperty("error_description").GetString());
        }

        using var right = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password));
        using var body = await right.JsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Equal("invalid_grant", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(DisabledDetail, body.RootElement.GetProperty("error_description").GetString());
        Assert.False(body.RootElement.TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task A_valid_passkey_of_a_disabled_account_is_told_disabled_and_an_invalid_one_the_usual_401()
    {
        var username = AuthClient.NewUsername();
        var token = await Client.RegisterAndLoginAsync(username, Password);
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);
        using var stranger = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(await Client.RegisterAndLoginAsync(AuthClient.NewUsername(), Password), stranger);
        await AdminSwitches.SetDisabledAsync(App, username, disabled: true);

        // An assertion for another origin does not verify: the one 401, nothing about the account.
        authenticator.Origin = "https://funcauth.test.evil.example";
        using (var refused = await Client.SignInWithAsync(authenticator))
        {
            Expect.Problem(refused, HttpStatusCode.Unauthorized);
            Assert.Equal(Problems.LoginFailureDetail, await refused.DetailAsync());
        }

        authenticator.Origin = PasskeyApi.Origin;

        using var response = await Client.SignInWithAsync(authenticator);
        Expect.Problem(response, HttpStatusCode.Forbidden);
        using var problem = await response.JsonAsync();
        Assert.Equal(DisabledType, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(DisabledDetail, problem.RootElement.GetProperty("detail").GetString());

        // Someone else's passkey still signs in.
        using var other = await Client.SignInWithAsync(stranger);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task The_hosted_page_shows_the_disabled_message_after_the_right_password_only()
    {
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username, Password);
        await AdminSwitches.SetDisabledAsync(App, username, disabled: true);
        using var browser = SignInForms.Browser(App);

        using (var wrong = await browser.SignInAsync(username, "not the password"))
        {
            Assert.Equal(Problems.LoginFailureDetail, SignInForms.Alert(await wrong.Content.ReadAsStringAsync()));
        }

        using var right = await browser.SignInAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(DisabledDetail, SignInForms.Alert(await right.Content.ReadAsStringAsync()));
        Assert.Null(SignInForms.SetCookie(right, PageCookies.SessionName));
    }

    [Fact]
    public async Task A_session_of_a_disabled_account_cannot_refresh_even_when_only_the_switch_was_written()
    {
        // As the admin API disables: the stamp rotates in the same write, so the session is over.
        var first = AuthClient.NewUsername();
        var (_, refresh) = await Client.RegisterAndStartSessionAsync(first, Password);
        await AdminSwitches.SetDisabledAsync(App, first, disabled: true, endSessions: false);
        await Expect.InvalidGrantAsync(Client, refresh);

        // A row disabled some other way (its stamp untouched): the refresh reads the switch itself.
        var second = AuthClient.NewUsername();
        var (_, secondRefresh) = await Client.RegisterAndStartSessionAsync(second, Password);
        var account = await AdminSwitches.AccountAsync(App, second);
        await App.Table("FuncAuth:Storage:UsersTableName").UpdateEntityAsync(
            new TableEntity(account.Key, "account") { ["Disabled"] = true }, Azure.ETag.All, TableUpdateMode.Merge);
        await Expect.InvalidGrantAsync(Client, secondRefresh);
        Assert.Contains(App.Logs.Lines, l => l.Contains(account.Id, StringComparison.Ordinal) && l.Contains("is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enabling_again_revives_no_token_or_session_but_the_password_signs_in_anew()
    {
        var username = AuthClient.NewUsername();
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(username, Password);
        await AdminSwitches.SetDisabledAsync(App, username, disabled: true);
        await AdminSwitches.SetDisabledAsync(App, username, disabled: false);

        await Expect.RevokedAsync(Client, access);
        await Expect.InvalidGrantAsync(Client, refresh);

        var (fresh, freshRefresh) = await Client.StartSessionAsync(username, Password);
        using (var verified = await Client.VerifyAsync(fresh))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using var refreshed = await Client.RefreshAsync(freshRefresh);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task A_code_from_the_browser_session_of_a_disabled_account_buys_nothing()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        await AdminSwitches.SetDisabledAsync(App, signedIn.Account.Username, disabled: true);

        using var response = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        await Expect.OAuthErrorAsync(response, "invalid_grant");
    }

    [Fact]
    public async Task A_disable_racing_sign_ins_leaves_no_usable_session()
    {
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username, Password);

        // Twelve logins at once, and the administrator's disable (the switch, then the end of every session) among them.
        var logins = Enumerable.Range(0, 12).Select(_ => Task.Run(() => Client.LoginAsync(username, Password))).ToArray();
        var disable = Task.Run(() => AdminSwitches.SetDisabledAsync(App, username, disabled: true));
        await Task.WhenAll([.. logins, disable]);

        var succeeded = 0;
        foreach (var login in logins)
        {
            using var response = await login;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // Refused: disabled (read before or after the session began), or overtaken by the switch's stamp change.
                Assert.True(
                    response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized,
                    $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()} {string.Join('\n', App.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)))}");
                continue;
            }

            succeeded++;
            var (access, refresh) = await response.TokensAsync();
            using (var verify = await Client.VerifyAsync(access))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
            }

            await Expect.InvalidGrantAsync(Client, refresh);
        }

        // Whatever won, the account is disabled and the next login says so.
        using var after = await Client.LoginAsync(username, Password);
        Expect.Problem(after, HttpStatusCode.Forbidden);
        Assert.InRange(succeeded, 0, 12);
    }
}
