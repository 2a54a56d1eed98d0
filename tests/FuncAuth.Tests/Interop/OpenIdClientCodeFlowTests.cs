using System.Net;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.BrowserSignIn;
using FuncAuth.Tests.Email;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// Browser sign-in with panva's <c>openid-client</c> on Node.js, unchanged, over real HTTP: discovery, the authorization
/// code flow with PKCE (the script plays the browser: it follows the redirects with a cookie jar and posts FuncAuth's
/// sign-in form with the hidden fields it reads from the HTML), the token exchange with the library's ID token
/// validation, userinfo and a refresh; single sign-on, a code used twice, RP-Initiated Logout and <c>prompt=none</c>
/// after it. Once as a public client, once as a confidential one (<c>client_secret_basic</c>). The script
/// (oidc-code-flow.mjs, beside this file) reports what it saw as JSON; the assertions are here.
/// </summary>
public sealed class OpenIdClientCodeFlowTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Script = "tests/FuncAuth.Tests/Interop/oidc-code-flow.mjs";
    private const string RedirectUri = "https://rp.example/callback";
    private const string PostLogoutRedirectUri = "https://rp.example/signed-out";
    private const string ClientSecret = "openid-client-interop-secret";

    private static readonly ClientSettings PublicClient = new("openid-client-public")
    {
        RedirectUris = [RedirectUri],
        PostLogoutRedirectUris = [PostLogoutRedirectUri],
    };

    private static readonly ClientSettings ConfidentialClient = PublicClient with { ClientId = "openid-client-confidential", ClientSecret = ClientSecret };

    private readonly int _port = AzuriteProcess.FreePort();
    private readonly TestSmtpServer _smtp = TestSmtpServer.Start();
    private FuncAuthApp _funcAuth = null!;
    private HttpClient _funcAuthClient = null!;

    private string Issuer => $"http://127.0.0.1:{_port}";

    public ValueTask InitializeAsync()
    {
        var settings = ClientSettings.For(new Uri(Issuer), PublicClient, ConfidentialClient);
        foreach (var (key, value) in _smtp.Settings())
        {
            settings[key] = value;
        }

        settings["FuncAuth:Email:PublicBaseUrl"] = FuncAuthApp.Issuer + "/";
        _funcAuth = new FuncAuthApp(storage.ConnectionString, settings);
        _funcAuth.UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        _funcAuth.StartServer();
        _funcAuthClient = new HttpClient { BaseAddress = new Uri(Issuer + "/") };
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _funcAuthClient.Dispose();
        await _funcAuth.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Openid_client_signs_in_through_the_page_and_runs_the_whole_code_flow(bool confidential)
    {
        var client = confidential ? ConfidentialClient : PublicClient;
        var username = AuthClient.NewUsername();
        var email = $"{username}@example.com";
        var (access, _) = await _funcAuthClient.RegisterConfirmedAsync(_smtp, username, email);
        var subject = (string?)TestTokens.PayloadOf(access)["sub"];

        var environment = new Dictionary<string, string?>
        {
            ["FUNCAUTH_ISSUER"] = Issuer,
            ["FUNCAUTH_USERNAME"] = username,
            ["FUNCAUTH_PASSWORD"] = Password,
            ["FUNCAUTH_CLIENT_ID"] = client.ClientId,
            ["FUNCAUTH_CLIENT_SECRET"] = client.ClientSecret,
            ["FUNCAUTH_REDIRECT_URI"] = RedirectUri,
            ["FUNCAUTH_POST_LOGOUT_REDIRECT_URI"] = PostLogoutRedirectUri,
            ["NODE_OPTIONS"] = null,
        };
        var node = await ExternalProcess.RunAsync("node", [Path.Combine(StorageFixture.RepositoryRoot, Script)], StorageFixture.RepositoryRoot, environment);
        TestContext.Current.TestOutputHelper?.WriteLine(node.Output);
        Assert.True(node.ExitCode == 0, $"The OpenID client failed: {node}");
        var observed = JsonNode.Parse(node.Output)!;

        // Discovery names the browser flow's endpoints and what it supports.
        var discovery = observed["discovery"]!;
        Assert.Equal(Issuer, (string?)discovery["issuer"]);
        Assert.Equal($"{Issuer}/api/auth/authorize", (string?)discovery["authorization_endpoint"]);
        Assert.Equal($"{Issuer}/api/auth/userinfo", (string?)discovery["userinfo_endpoint"]);
        Assert.Equal($"{Issuer}/api/auth/end-session", (string?)discovery["end_session_endpoint"]);
        Assert.Equal(["code"], Strings(discovery["response_types_supported"]));
        Assert.Equal(["S256"], Strings(discovery["code_challenge_methods_supported"]));
        Assert.True((bool?)discovery["authorization_response_iss_parameter_supported"]);
        Assert.Contains("authorization_code", Strings(discovery["grant_types_supported"]));

        // The sign-in page, its hidden fields (the carried request and an anti-forgery token), and the way back.
        var page = observed["sign_in_page"]!;
        Assert.StartsWith($"{Issuer}/auth/login?", (string?)page["url"], StringComparison.Ordinal);
        Assert.Equal(200, (int?)page["status"]);
        var hidden = Strings(page["hidden_fields"]);
        Assert.Contains("authorize", hidden);
        Assert.True(hidden.Length >= 2, $"The form has no anti-forgery field besides 'authorize': {string.Join(", ", hidden)}");
        Assert.Equal(303, (int?)observed["sign_in_answer"]!["status"]);
        Assert.StartsWith($"{Issuer}/api/auth/authorize?", (string?)observed["sign_in_answer"]!["location"], StringComparison.Ordinal);
        var callback = observed["callback"]!;
        Assert.True((bool?)callback["has_code"]);
        Assert.Equal(Issuer, (string?)callback["iss"]);
        Assert.True((bool?)callback["state_matches"]);

        // Tokens: the ID token as the library validated it, the access token for FuncAuth's audience, a refresh token
        // (offline_access was asked for), userinfo with the email scope's claims, and a rotating refresh.
        var tokens = observed["tokens"]!;
        Assert.Equal("bearer", (string?)tokens["token_type"], ignoreCase: true);
        Assert.True((bool?)tokens["has_refresh_token"]);
        var idToken = tokens["id_token_claims"]!;
        Assert.Equal(subject, (string?)idToken["sub"]);
        Assert.Equal(Issuer, (string?)idToken["iss"]);
        Assert.Equal(client.ClientId, Audience(idToken["aud"]));
        Assert.NotNull(idToken["auth_time"]);
        Assert.Contains("pwd", Strings(idToken["amr"]));
        Assert.False(string.IsNullOrEmpty((string?)idToken["sid"]));
        var accessClaims = TestTokens.PayloadOf((string)tokens["access_token"]!);
        Assert.Equal(FuncAuthApp.Audience, Audience(accessClaims["aud"]));
        Assert.Equal(client.ClientId, (string?)accessClaims["client_id"]);
        Assert.Equal(["email", "offline_access", "openid", "profile"], ((string?)accessClaims["scope"] ?? string.Empty).Split(' ').Order().ToArray());
        var userinfo = observed["userinfo"]!;
        Assert.Equal(subject, (string?)userinfo["sub"]);
        Assert.Equal(username, (string?)userinfo["preferred_username"]);
        Assert.Equal(email, (string?)userinfo["email"]);
        Assert.True((bool?)userinfo["email_verified"]);
        Assert.True((bool?)observed["refresh_token_rotated"]);

        // Single sign-on: straight back to the client, no sign-in page on the way; same browser session (sid).
        var sso = observed["sso"]!;
        Assert.True((bool?)sso["reached_client"], "The second authorization did not go straight back to the client.");
        Assert.DoesNotContain(Strings(sso["visited"]), url => url!.Contains("/auth/login", StringComparison.Ordinal));
        Assert.Equal((string?)idToken["sid"], (string?)sso["tokens"]!["id_token_claims"]!["sid"]);

        // The second code used again: refused, and the tokens its first use issued stop working; the first exchange's stay.
        AssertError(observed["code_reuse_error"], "response_body", "invalid_grant");
        Assert.Equal(401, (int?)observed["sso_userinfo_after_reuse_error"]!["status"]);
        Assert.Null(observed["first_userinfo_after_reuse_error"]);

        // RP-Initiated Logout: back to the registered address with the state; then every token of the browser session is
        // refused and prompt=none says login_required.
        var endSession = observed["end_session"]!;
        Assert.True((bool?)endSession["reached_post_logout_redirect"], $"end-session did not redirect: page {endSession["page_status"]}");
        Assert.Equal((string?)endSession["expected_state"], (string?)endSession["state"]);
        Assert.Equal(401, (int?)observed["userinfo_after_logout_error"]!["status"]);
        AssertError(observed["refresh_after_logout_error"], "response_body", "invalid_grant");
        AssertError(observed["prompt_none_after_logout_error"], "authorization_response", "login_required");
        using var verified = await _funcAuthClient.VerifyAsync((string)observed["refreshed"]!["access_token"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, verified.StatusCode);
    }

    private static void AssertError(JsonNode? error, string kind, string code)
    {
        Assert.True(error is not null, $"Expected {kind} {code}, but the call succeeded.");
        Assert.Equal(kind, (string?)error["kind"]);
        Assert.Equal(code, (string?)error["error"]);
    }

    private static string? Audience(JsonNode? aud) => aud is JsonArray array ? (string?)Assert.Single(array) : (string?)aud;

    private static string?[] Strings(JsonNode? array) => array is JsonArray items ? [.. items.Select(item => (string?)item)] : [];
}
