using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// An authenticator app other than Otp.NET agrees with FuncAuth's <c>otpauth://</c> URI: hectorm's <c>otpauth</c> on
/// Node.js (pinned in the repository's package.json), unchanged, parses the URI the enrolment answers and computes the
/// codes that confirm the enrolment and complete sign-ins over real HTTP, through <c>api/auth/login/mfa</c> and through
/// the token endpoint's <c>urn:funcauth:grant-type:mfa</c> grant (with panva's <c>openid-client</c>, which also reads
/// the password grant's <c>mfa_required</c> answer as an OAuth error). The script (totp-client.mjs, beside this file)
/// reports what it saw as JSON; the assertions are here, and the access tokens it got are checked against verify.
/// </summary>
public sealed class TotpClientInteropTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string Script = "tests/FuncAuth.Tests/Interop/totp-client.mjs";
    private const string MfaGrant = "urn:funcauth:grant-type:mfa";

    private readonly int _port = AzuriteProcess.FreePort();
    private FuncAuthApp _funcAuth = null!;
    private HttpClient _funcAuthClient = null!;

    private string Issuer => $"http://127.0.0.1:{_port}";

    public ValueTask InitializeAsync()
    {
        _funcAuth = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:Issuer"] = Issuer,

            // A key of the test's own, as a deployment has (Development would otherwise generate one into the local data folder).
            ["FuncAuth:Mfa:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
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
    public async Task Otpauth_reads_the_enrolment_uri_and_its_codes_complete_both_sign_ins()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await _funcAuthClient.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var observed = await RunClientAsync(username);

        // Discovery offers the grant the library then used.
        Assert.Contains(MfaGrant, Strings(observed["grant_types_supported"]));

        // The URI the enrolment answered, as the library read it: RFC 6238 defaults, the API's secret, the user's name.
        var enrolment = observed["enrolment"]!;
        var uri = (string?)enrolment["otpauth_uri"];
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Contains("<svg", (string?)enrolment["qr_code_svg_start"], StringComparison.Ordinal);
        var parsed = observed["parsed_uri"]!;
        Assert.Equal("totp", (string?)parsed["type"]);
        Assert.Equal(username, (string?)parsed["label"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)parsed["issuer"]), $"otpauth read no issuer from {uri}.");
        Assert.Equal("SHA1", (string?)parsed["algorithm"]);
        Assert.Equal(6, (int?)parsed["digits"]);
        Assert.Equal(30, (int?)parsed["period"]);
        Assert.Equal(Base32((string?)enrolment["secret"]), Base32((string?)parsed["secret"]));

        // The library's code for the step before confirmed the enrolment: ten different recovery codes.
        var confirmation = observed["confirmation"]!;
        Assert.Equal(200, (int?)confirmation["status"]);
        var recoveryCodes = Strings(confirmation["recovery_codes"]);
        Assert.Equal(10, recoveryCodes.Length);
        Assert.Equal(10, recoveryCodes.Distinct().Count());

        // login: the right password answers mfa_required with a token; the library's code of the current step completes it.
        var passwordStep = observed["password_step"]!;
        Assert.Equal(403, (int?)passwordStep["status"]);
        Assert.Equal("mfa_required", (string?)passwordStep["error"]);
        Assert.True((bool?)passwordStep["has_mfa_token"], "login's mfa_required answer carried no mfa_token.");
        var codeStep = observed["code_step"]!;
        Assert.Equal(200, (int?)codeStep["status"]);
        await AssertSignedInWithCodeAsync((string?)codeStep["access_token"], username);

        // The password grant: an OAuth error the standard client reads, with the token; the same code again is a replay.
        var passwordGrant = observed["password_grant"]!;
        Assert.Equal("mfa_required", (string?)passwordGrant["error"]);
        Assert.Equal(403, (int?)passwordGrant["status"]);
        Assert.True((bool?)passwordGrant["mfa_token"], "The password grant's mfa_required answer carried no mfa_token.");
        var replay = observed["replayed_code_grant"];
        Assert.True(replay is not null, "The mfa grant accepted a code whose time step had already signed in.");
        Assert.Equal("invalid_grant", (string?)replay["error"]);
        Assert.Equal(400, (int?)replay["status"]);

        // The next step's code through the mfa grant: tokens, signed in with password and code.
        var mfaGrant = observed["mfa_grant"]!;
        Assert.Equal("bearer", (string?)mfaGrant["token_type"], ignoreCase: true);
        Assert.True((bool?)mfaGrant["has_refresh_token"], "The mfa grant answered no refresh token.");
        await AssertSignedInWithCodeAsync((string?)mfaGrant["access_token"], username);
    }

    /// <summary>Runs the script with Node.js from the repository root; answers its JSON.</summary>
    private async Task<JsonNode> RunClientAsync(string username)
    {
        var root = StorageFixture.RepositoryRoot;
        var script = Path.Combine(root, Script);
        Assert.True(File.Exists(script), $"The client script is missing: {script}");

        // Node looks for packages in node_modules beside the script and in every folder above it.
        Assert.True(
            AncestorsOf(Path.GetDirectoryName(script)!).Any(folder => File.Exists(Path.Combine(folder, "node_modules", "otpauth", "package.json"))),
            $"otpauth is not installed in {root}/node_modules: run 'npm ci' there.");

        var node = await ExternalProcess.RunAsync("node", [script], root, new Dictionary<string, string?>
        {
            ["FUNCAUTH_ISSUER"] = Issuer,
            ["FUNCAUTH_USERNAME"] = username,
            ["FUNCAUTH_PASSWORD"] = Password,
            ["NODE_OPTIONS"] = null, // nothing from the developer's shell changes how node runs the script
        });
        TestContext.Current.TestOutputHelper?.WriteLine(node.Output);
        Assert.True(node.ExitCode == 0, $"The TOTP client failed: {node}");
        return JsonNode.Parse(node.Output) ?? throw new InvalidOperationException("The TOTP client printed null.");
    }

    /// <summary>verify accepts the token as the user's, signed in with a password and a TOTP code (RFC 8176).</summary>
    private async Task AssertSignedInWithCodeAsync(string? accessToken, string username)
    {
        Assert.False(string.IsNullOrEmpty(accessToken), "No access token.");
        using var response = await _funcAuthClient.VerifyAsync(accessToken!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claims = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(username, (string?)claims["username"]);
        Assert.Equal(["pwd", "otp", "mfa"], Strings(claims["amr"]));
    }

    private static IEnumerable<string> AncestorsOf(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            yield return current.FullName;
        }
    }

    /// <summary>Base32 as compared: without padding, upper case (RFC 4648 allows both spellings of the same secret).</summary>
    private static string Base32(string? text) => (text ?? string.Empty).TrimEnd('=').ToUpperInvariant();

    private static string?[] Strings(JsonNode? array) => array is JsonArray items ? [.. items.Select(item => (string?)item)] : [];
}
