using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// The README's snippets for checking FuncAuth tokens in another API, run as written against a real FuncAuth over
/// TCP with the local defaults they are written for (issuer and audience <c>funcauth</c>, an ES256 key); only
/// <c>http://localhost:7071</c> becomes the test server's address. The Python one runs under Debian's
/// <c>/usr/bin/python3</c> with its <c>python3-jwt</c> (PyJWT 2.6; <c>.ci/run</c> installs it); the JwtBearer one
/// is the block between the <c>readme:jwtbearer</c> marks below, which a test holds equal to the README's.
/// </summary>
public sealed class ReadmeSnippetTests(StorageFixture storage) : IAsyncDisposable
{
    private const string ReadmeAddress = ReadmeFuncAuth.ReadmeAddress;
    private const string Python = ReadmeFuncAuth.Python;
    private const string Password = "correct horse battery";

    private readonly ReadmeFuncAuth _server = new(storage.ConnectionString);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_pyjwt_snippet_accepts_an_access_token_and_refuses_other_and_tampered_tokens()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing.");
        var username = AuthClient.NewUsername();
        var token = await _server.Client.RegisterAndLoginAsync(username, Password);

        // Run by the snippet, then this harness: one line per token, its claims or why it was refused.
        var script = ReadmeSnippets.Snippet("pyjwt").Replace(ReadmeAddress, _server.Address, StringComparison.Ordinal) + """

            import json, sys
            for t in sys.argv[1:]:
                try:
                    print(json.dumps(access_token_claims(t)))
                except jwt.InvalidTokenError as e:
                    print("refused: " + type(e).__name__)
            """;
        var python = await ExternalProcess.RunAsync(
            Python, ["-c", script, token, NotAnAccessToken(), Tampered(token)], StorageFixture.RepositoryRoot,
            new Dictionary<string, string?> { ["PYTHONPATH"] = null, ["PYTHONNOUSERSITE"] = "1" });

        Assert.True(python.ExitCode == 0, $"The PyJWT snippet failed: {python}");
        var lines = python.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        var claims = System.Text.Json.Nodes.JsonNode.Parse(lines[0])!;
        Assert.Equal(username, (string?)claims["username"]);
        Assert.Equal(TestTokens.PayloadOf(token)["sub"]!.GetValue<string>(), (string?)claims["sub"]);
        Assert.Equal("refused: InvalidTokenError", lines[1]);
        Assert.Equal("refused: InvalidSignatureError", lines[2]);
    }

    [Fact]
    public void The_jwtbearer_snippet_is_the_code_these_tests_run()
    {
        Assert.Equal(ReadmeSnippets.Snippet("jwtbearer").Split('\n'), ReadmeSnippets.Marked("tests/FuncAuth.Tests/Interop/ReadmeSnippetTests.cs", "jwtbearer"));
    }

    [Fact]
    public async Task The_jwtbearer_snippet_accepts_an_access_token_and_refuses_other_and_tampered_tokens()
    {
        var token = await _server.Client.RegisterAndLoginAsync(AuthClient.NewUsername(), Password);
        await using var api = await StartApiAsync(requireHttpsMetadata: null);
        using var client = api.GetTestClient();

        using (var accepted = await CallAsync(client, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(TestTokens.PayloadOf(token)["sub"]!.GetValue<string>(), await accepted.Content.ReadAsStringAsync());
        }

        using (var other = await CallAsync(client, NotAnAccessToken()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }

        using var tampered = await CallAsync(client, Tampered(token));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
    }

    [Fact]
    public async Task Without_RequireHttpsMetadata_false_a_plain_http_funcauth_is_refused()
    {
        var token = await _server.Client.RegisterAndLoginAsync(AuthClient.NewUsername(), Password);
        await using var api = await StartApiAsync(requireHttpsMetadata: true);
        using var client = api.GetTestClient();

        // JwtBearer refuses the plain-http metadata address when it first reads its options, at the first request
        // (which the in-memory test server surfaces as the exception; a real server answers 500).
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => CallAsync(client, token));
        Assert.Equal(
            "The MetadataAddress or Authority must use HTTPS unless disabled for development by setting RequireHttpsMetadata=false.",
            failure.Message);
    }

    private async Task<WebApplication> StartApiAsync(bool? requireHttpsMetadata)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();

        // <readme:jwtbearer>
        var funcAuth = "http://localhost:7071";   // FuncAuth's base URL; deployed: "https://<your-funcauth-app>.azurewebsites.net"
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            // The metadata names the issuer and the keys, whatever FuncAuth:Tokens:Issuer is. Only when the issuer is
            // FuncAuth's base URL (as the Azure deployment sets it) may you write options.Authority = funcAuth instead;
            // a name such as the local default "funcauth" is no URL, so Authority cannot point at it.
            options.MetadataAddress = funcAuth + "/.well-known/openid-configuration";
            options.RequireHttpsMetadata = false;   // local FuncAuth over plain http only: delete this line for https
            options.Audience = "funcauth";                                  // = FuncAuth:Tokens:Audience
            options.MapInboundClaims = false;                               // keep "sub", "username" as they are
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];      // access tokens only (RFC 9068)
        });
        // </readme:jwtbearer>

        // The one change: the test server's address for the README's. A Configure runs after the snippet's own
        // (registered before it) and before JwtBearer reads the address.
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.MetadataAddress = options.MetadataAddress!.Replace(funcAuth, _server.Address, StringComparison.Ordinal);
            options.RequireHttpsMetadata = requireHttpsMetadata ?? options.RequireHttpsMetadata;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    private static Task<HttpResponseMessage> CallAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    /// <summary>A JWT FuncAuth's key signed, good in every way but its type: not an access token.</summary>
    private static string NotAnAccessToken()
    {
        var header = TestTokens.Header(TestKeys.Es256);
        header["typ"] = "JWT";
        return TestTokens.Sign(header, TestTokens.Claims(DateTimeOffset.UtcNow, issuer: "funcauth", audience: "funcauth"), TestKeys.Es256);
    }

    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = TestTokens.PayloadOf(token);
        payload["sub"] = Guid.NewGuid().ToString();
        return $"{parts[0]}.{TestTokens.Encode(payload.ToJsonString())}.{parts[2]}";
    }
}
