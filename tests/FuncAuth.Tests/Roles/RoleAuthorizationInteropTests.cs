using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// APIs that authorise by FuncAuth's <c>roles</c> claim offline, as the README shows them: an ASP.NET Core API with
/// JwtBearer (the block between the <c>readme:roles</c> marks, which a test holds equal to the README's snippet), reading
/// the keys from FuncAuth's discovery document over real HTTP, with <c>RoleClaimType = "roles"</c> so a
/// <c>RequireRole</c> policy and <c>[Authorize(Roles = ...)]</c> work; and the README's PyJWT snippet, whose claims carry
/// <c>roles</c> as a list. FuncAuth runs with the local defaults the snippets are written for.
/// </summary>
public sealed class RoleAuthorizationInteropTests(StorageFixture storage) : IAsyncDisposable
{
    private const string ReadmeAddress = ReadmeFuncAuth.ReadmeAddress;
    private const string Python = ReadmeFuncAuth.Python;
    private const string Password = "correct horse battery";

    private readonly ReadmeFuncAuth _server = new(storage.ConnectionString);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public void The_roles_snippet_is_the_code_these_tests_run()
    {
        Assert.Equal(ReadmeSnippets.Snippet("roles").Split('\n'), ReadmeSnippets.Marked("tests/FuncAuth.Tests/Roles/RoleAuthorizationInteropTests.cs", "roles"));
    }

    [Fact]
    public async Task An_api_authorises_by_role_offline_200_with_the_role_and_403_without()
    {
        var reporter = await TokenWithRolesAsync("reports");
        var administrator = await TokenWithRolesAsync("funcauth-admin", "reports");
        var nobody = await TokenWithRolesAsync();
        await using var api = await StartApiAsync();
        using var client = api.GetTestClient();

        await AssertStatusAsync(client, "/reports", reporter, HttpStatusCode.OK);
        await AssertStatusAsync(client, "/reports", administrator, HttpStatusCode.OK);
        await AssertStatusAsync(client, "/reports", nobody, HttpStatusCode.Forbidden);
        await AssertStatusAsync(client, "/admin", administrator, HttpStatusCode.OK);
        await AssertStatusAsync(client, "/admin", reporter, HttpStatusCode.Forbidden);
        await AssertStatusAsync(client, "/admin", nobody, HttpStatusCode.Forbidden);
        await AssertStatusAsync(client, "/reports", token: null, HttpStatusCode.Unauthorized);

        // A role written into the token by someone without the key is no role at all.
        await AssertStatusAsync(client, "/admin", WithRoles(reporter, "funcauth-admin"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_pyjwt_snippet_reads_roles_as_a_list()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing (CI installs python3-jwt).");
        var reporter = await TokenWithRolesAsync("reports", "billing");
        var nobody = await TokenWithRolesAsync();
        var script = ReadmeSnippets.Snippet("pyjwt").Replace(ReadmeAddress, _server.Address, StringComparison.Ordinal) + """

            import json, sys
            for t in sys.argv[1:]:
                try:
                    print(json.dumps(access_token_claims(t).get("roles", [])))
                except jwt.InvalidTokenError as e:
                    print("refused: " + type(e).__name__)
            """;
        var python = await ExternalProcess.RunAsync(
            Python, ["-c", script, reporter, nobody, WithRoles(nobody, "funcauth-admin")], StorageFixture.RepositoryRoot,
            new Dictionary<string, string?> { ["PYTHONPATH"] = null, ["PYTHONNOUSERSITE"] = "1" });

        Assert.True(python.ExitCode == 0, $"The PyJWT snippet failed: {python}");
        var lines = python.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["[\"billing\", \"reports\"]", "[]", "refused: InvalidSignatureError"], lines);
    }

    private async Task<WebApplication> StartApiAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var funcAuth = _server.Address;   // FuncAuth's base URL, as the README's JwtBearer snippet before this one sets it

        // <readme:roles>
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MetadataAddress = funcAuth + "/.well-known/openid-configuration";
            options.RequireHttpsMetadata = false;   // local FuncAuth over plain http only: delete this line for https
            options.Audience = "funcauth";                                  // = FuncAuth:Tokens:Audience
            options.MapInboundClaims = false;                               // keep "sub", "username", "roles" as they are
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];      // access tokens only (RFC 9068)
            options.TokenValidationParameters.RoleClaimType = "roles";      // each entry of "roles" is a role
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("reports", policy => policy.RequireRole("reports"));

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/reports", (ClaimsPrincipal user) => $"reports for {user.FindFirstValue("username")}").RequireAuthorization("reports");
        app.MapGet("/admin", [Authorize(Roles = "funcauth-admin")] () => "administration");
        // </readme:roles>

        await app.StartAsync();
        return app;
    }

    /// <summary>A new user holding <paramref name="roles"/>, signed in: the access token.</summary>
    private async Task<string> TokenWithRolesAsync(params string[] roles)
    {
        var username = AuthClient.NewUsername();
        using (var registered = await _server.Client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        await AdminSwitches.SetRolesAsync(_server.App, username, roles);
        return (await _server.Client.StartSessionAsync(username, Password)).Access;
    }

    private static string WithRoles(string token, params string[] roles)
    {
        var parts = token.Split('.');
        var payload = TestTokens.PayloadOf(token);
        payload["roles"] = new JsonArray([.. roles.Select(r => (JsonNode?)JsonValue.Create(r))]);
        return $"{parts[0]}.{TestTokens.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static async Task AssertStatusAsync(HttpClient client, string path, string? token, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"GET {path}: {(int)response.StatusCode}, expected {(int)expected}");
    }
}
