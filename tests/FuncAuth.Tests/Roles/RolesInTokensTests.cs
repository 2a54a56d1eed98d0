using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Admin;
using FuncAuth.Tests.OpenIdConnect;
using FuncAuth.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// The <c>roles</c> claim over HTTP: absent for a user with none; the account's roles (ordered, once each) in the access
/// token of a login, in verify's answer, in a refresh as the account holds them at that refresh, and in the ID token and
/// access token of the code flow; named in discovery's <c>claims_supported</c>.
/// </summary>
public sealed class RolesInTokensTests(StorageFixture storage) : AppTests(OidcFixture.App(storage))
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_user_without_roles_gets_no_roles_claim_and_verify_says_none()
    {
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(AuthClient.NewUsername(), Password);
        Assert.Null(AdminSwitches.RolesOf(access));

        using var verified = await Client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var json = await verified.JsonAsync();
        Assert.False(json.RootElement.TryGetProperty("roles", out _));

        using var refreshed = await Client.RefreshAsync(refresh);
        Assert.Null(AdminSwitches.RolesOf(await refreshed.AccessTokenAsync()));
    }

    [Fact]
    public async Task The_account_roles_are_in_the_login_token_and_in_verify()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        await AdminSwitches.SetRolesAsync(App, username, "reports", "billing:read");
        var (access, _) = await Client.StartSessionAsync(username, Password);
        Assert.Equal(["billing:read", "reports"], AdminSwitches.RolesOf(access)!);

        using var verified = await Client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var json = await verified.JsonAsync();
        Assert.Equal(["billing:read", "reports"], json.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        // The second verify is served from the validated-token cache: the same answer, roles and all.
        using var again = await Client.VerifyAsync(access);
        Assert.Equal(json.RootElement.GetRawText(), (await again.JsonAsync()).RootElement.GetRawText());
    }

    [Fact]
    public async Task A_role_granted_or_taken_after_sign_in_reaches_the_next_refresh()
    {
        var username = AuthClient.NewUsername();
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(username, Password);
        Assert.Null(AdminSwitches.RolesOf(access));

        await AdminSwitches.SetRolesAsync(App, username, "reports");

        // The token already issued says what was true when it was issued; the next refresh reads the account.
        using (var verified = await Client.VerifyAsync(access))
        using (var json = await verified.JsonAsync())
        {
            Assert.False(json.RootElement.TryGetProperty("roles", out _));
        }

        using var granted = await Client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var (grantedAccess, nextRefresh) = await granted.TokensAsync();
        Assert.Equal(["reports"], AdminSwitches.RolesOf(grantedAccess)!);
        using (var verified = await Client.VerifyAsync(grantedAccess))
        using (var json = await verified.JsonAsync())
        {
            Assert.Equal(["reports"], json.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        }

        await AdminSwitches.SetRolesAsync(App, username);
        using var taken = await Client.RefreshAsync(nextRefresh);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Null(AdminSwitches.RolesOf(await taken.AccessTokenAsync()));
    }

    [Fact]
    public async Task The_code_flow_issues_roles_in_the_id_token_and_the_access_token()
    {
        var signedIn = await OidcFixture.SignInAsync(App, Client);
        await AdminSwitches.SetRolesAsync(App, signedIn.Account.Username, "reports", "funcauth-admin");

        using var response = await Client.ExchangeAsync(signedIn.Code, signedIn.Verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await response.JsonAsync();
        var access = body.RootElement.GetProperty("access_token").GetString()!;
        var idToken = body.RootElement.GetProperty("id_token").GetString()!;
        Assert.Equal(["funcauth-admin", "reports"], AdminSwitches.RolesOf(access)!);

        // The application holds an administrator's token, but one issued to it: the admin API is not the application's.
        using (var asApplication = await Client.ListAsync(access))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asApplication.StatusCode);
            Assert.Contains("not one issued to an application", asApplication.Challenge(), StringComparison.Ordinal);
        }

        // The ID token as a relying party validates it (JWKS, issuer, its client id), roles included.
        var keys = new JsonWebKeySet(await Client.GetStringAsync(".well-known/jwks.json")).GetSigningKeys();
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = FuncAuthApp.Issuer,
            ValidAudience = OidcFixture.Spa,
            IssuerSigningKeys = keys,
            ValidTypes = ["JWT"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal(["funcauth-admin", "reports"], ((JsonWebToken)validation.SecurityToken).GetPayloadValue<string[]>("roles"));

        // And a user without roles: no claim in either.
        var plain = await OidcFixture.SignInAsync(App, Client);
        using var plainResponse = await Client.ExchangeAsync(plain.Code, plain.Verifier);
        using var plainBody = await plainResponse.JsonAsync();
        Assert.Null(AdminSwitches.RolesOf(plainBody.RootElement.GetProperty("id_token").GetString()!));
        Assert.Null(AdminSwitches.RolesOf(plainBody.RootElement.GetProperty("access_token").GetString()!));
    }

    [Fact]
    public async Task Discovery_lists_roles_among_the_claims()
    {
        using var discovery = JsonDocument.Parse(await Client.GetStringAsync(".well-known/openid-configuration"));
        Assert.Contains("roles", discovery.RootElement.GetProperty("claims_supported").EnumerateArray().Select(c => c.GetString()));
    }
}
