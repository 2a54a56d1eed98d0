using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// A standard OAuth 2.0 client library of another language, panva's <c>openid-client</c> on Node.js (pinned in the
/// repository's package.json), used unchanged against FuncAuth over real HTTP: told only the issuer and a user's
/// credentials, it discovers the endpoints, logs in with the password grant, refreshes (rotation), presents a spent
/// refresh token (reuse ends the session) and revokes a refresh token (RFC 7009). The script (oauth-client.mjs,
/// beside this file) reports what it saw as JSON; the assertions are here, and the access tokens it got are checked
/// against verify.
/// </summary>
public sealed class OAuthClientInteropTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Script = "tests/FuncAuth.Tests/Interop/oauth-client.mjs";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);

    private readonly int _port = AzuriteProcess.FreePort();
    private FuncAuthApp _funcAuth = null!;
    private HttpClient _funcAuthClient = null!;

    private string Issuer => $"http://127.0.0.1:{_port}";

    public ValueTask InitializeAsync()
    {
        _funcAuth = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Tokens:Issuer"] = Issuer,

            // A spent refresh token presented again is reuse at once, not a racing client inside the reuse interval.
            ["FuncAuth:Sessions:RefreshReuseInterval"] = "00:00:00",
        });
        _funcAuth.UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        _funcAuth.StartServer();
        _funcAuthClient = new HttpClient { BaseAddress = new Uri(Issuer + "/") };
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _funcAuthClient.Dispose();
        await _funcAuth.DisposeAsync();
    }

    [Fact]
    public async Task Openid_client_logs_in_refreshes_detects_reuse_and_revokes()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await _funcAuthClient.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var observed = await RunClientAsync(username);

        // Discovery: both documents name this server, whose endpoints the library then used.
        var discovery = observed["discovery"]!;
        Assert.Equal(Issuer, (string?)discovery["issuer"]);
        Assert.Equal(Issuer, (string?)discovery["oauth_issuer"]);
        Assert.Equal($"{Issuer}/api/auth/token", (string?)discovery["token_endpoint"]);
        Assert.Equal($"{Issuer}/api/auth/revoke", (string?)discovery["revocation_endpoint"]);
        Assert.Equal(new[] { "password", "refresh_token", "urn:funcauth:grant-type:mfa" }, Strings(discovery["grant_types_supported"]));
        Assert.Equal(new[] { "client_secret_basic", "client_secret_post", "none" }, Strings(discovery["token_endpoint_auth_methods_supported"]));

        // Every grant answered a bearer token of 15 minutes and a refresh token, as the library read them.
        foreach (var grant in new[] { "password_grant", "refresh_grant", "second_password_grant", "untouched_password_grant" })
        {
            AssertTokenResponse(grant, observed[grant]!);
        }

        Assert.True((bool?)observed["rotated_refresh_token_differs"], "The refresh grant answered the same refresh token: no rotation.");

        // The spent refresh token presented again is reuse: refused, and its session ended, successor included.
        AssertRefused("reuse_error", observed["reuse_error"]);
        AssertRefused("successor_after_reuse_error", observed["successor_after_reuse_error"]);

        // A revoked refresh token is refused.
        AssertRefused("after_revocation_error", observed["after_revocation_error"]);

        // The access tokens of the ended sessions fail verify; the untouched session's still passes, as the user.
        await AssertVerifyAsync(AccessToken(observed, "password_grant"), HttpStatusCode.Unauthorized);
        await AssertVerifyAsync(AccessToken(observed, "refresh_grant"), HttpStatusCode.Unauthorized);
        await AssertVerifyAsync(AccessToken(observed, "second_password_grant"), HttpStatusCode.Unauthorized);
        var claims = JsonNode.Parse(await AssertVerifyAsync(AccessToken(observed, "untouched_password_grant"), HttpStatusCode.OK))!;
        Assert.Equal(username, (string?)claims["username"]);
        Assert.Equal(Issuer, (string?)claims["iss"]);
    }

    /// <summary>Runs the script with Node.js from the repository root (where it finds openid-client); answers its JSON.</summary>
    private async Task<JsonNode> RunClientAsync(string username)
    {
        var root = StorageFixture.RepositoryRoot;
        var script = Path.Combine(root, Script);
        Assert.True(File.Exists(script), $"The client script is missing: {script}");
        Assert.True(
            File.Exists(Path.Combine(root, "node_modules", "openid-client", "package.json")),
            $"openid-client is not installed in {root}/node_modules: run 'npm ci' there.");

        var start = new ProcessStartInfo(FindNode())
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        start.Environment["FUNCAUTH_ISSUER"] = Issuer;
        start.Environment["FUNCAUTH_USERNAME"] = username;
        start.Environment["FUNCAUTH_PASSWORD"] = Password;
        start.Environment["NODE_OPTIONS"] = null; // nothing from the developer's shell changes how node runs the script

        using var node = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = node.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = node.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"The OAuth client did not finish within {ScriptTimeout}. stderr:{Environment.NewLine}{await stderr}");
        }

        var output = await stdout;
        var errors = await stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(node.ExitCode == 0, $"The OAuth client failed (exit {node.ExitCode}):{Environment.NewLine}{errors}{output}");
        return JsonNode.Parse(output) ?? throw new InvalidOperationException("The OAuth client printed null.");
    }

    private static string FindNode()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "node.exe" } : ["node"];
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null, "Node.js (node) is not on PATH; it is needed for Azurite and this test.");
        return found;
    }

    private static void AssertTokenResponse(string grant, JsonNode response)
    {
        // openid-client lower-cases token_type as it reads it (RFC 6749 §7.1: case-insensitive); FuncAuth sends "Bearer".
        Assert.Equal("Bearer", (string?)response["token_type"], ignoreCase: true);
        Assert.Equal(900, (int?)response["expires_in"]);
        Assert.True((bool?)response["has_refresh_token"], $"{grant}: no refresh_token.");
        Assert.Equal(43, (int?)response["refresh_token_length"]);
        Assert.False(string.IsNullOrEmpty((string?)response["access_token"]), $"{grant}: no access_token.");
    }

    private static void AssertRefused(string what, JsonNode? error)
    {
        Assert.True(error is not null, $"{what}: the token endpoint accepted the request.");
        Assert.Equal("invalid_grant", (string?)error["error"]);
        Assert.Equal(400, (int?)error["status"]);
    }

    /// <summary>Calls verify with the token; answers the body.</summary>
    private async Task<string> AssertVerifyAsync(string accessToken, HttpStatusCode expected)
    {
        using var response = await _funcAuthClient.VerifyAsync(accessToken);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string AccessToken(JsonNode observed, string grant) => (string?)observed[grant]!["access_token"] ?? string.Empty;

    private static string?[] Strings(JsonNode? array) => array is JsonArray items ? [.. items.Select(item => (string?)item)] : [];
}
