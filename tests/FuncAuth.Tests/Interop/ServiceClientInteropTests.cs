using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.ServiceClients;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// A service calling another, with FuncAuth's client credentials grant and nothing shared but FuncAuth's address:
/// <list type="bullet">
/// <item>panva's <c>openid-client</c> on Node.js (service-client.mjs, beside this file) discovers FuncAuth and runs
/// <c>clientCredentialsGrant</c> with client_secret_basic and client_secret_post; its tokens pass verify and revoke.</item>
/// <item>A C# caller gets a token with HttpClient and calls an ASP.NET Core API that validates it offline with
/// JwtBearer and authorises by scope: 200 with the scope, 403 without. These are the README's snippets (the
/// <c>readme:service-caller</c> and <c>readme:service-api</c> marks).</item>
/// </list>
/// </summary>
public sealed class ServiceClientInteropTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Script = "tests/FuncAuth.Tests/Interop/service-client.mjs";

    private readonly int _port = AzuriteProcess.FreePort();
    private FuncAuthApp _funcAuth = null!;

    private string Address => $"http://127.0.0.1:{_port}";

    public ValueTask InitializeAsync()
    {
        // The issuer is FuncAuth's own address (openid-client checks that discovery's issuer is the URL it asked) and
        // the audience the local default the README's snippets are written for.
        _funcAuth = new FuncAuthApp(storage.ConnectionString, ServiceClients.ServiceClients.Settings(new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:Issuer"] = Address,
            ["FuncAuth:Tokens:Audience"] = "funcauth",
        }));
        _funcAuth.UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        _funcAuth.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _funcAuth.DisposeAsync();

    [Fact]
    public async Task Openid_client_gets_client_tokens_by_basic_and_post_that_verify_and_revoke_accept()
    {
        var observed = await RunClientAsync();

        Assert.Contains("client_credentials", Strings(observed["grant_types_supported"]));
        Assert.Contains("client_secret_basic", Strings(observed["token_endpoint_auth_methods_supported"]));
        Assert.Contains("client_secret_post", Strings(observed["token_endpoint_auth_methods_supported"]));

        var basic = observed["basic"]!;
        Assert.Equal("bearer", (string?)basic["token_type"], ignoreCase: true);
        Assert.Equal(900, (int?)basic["expires_in"]);
        Assert.Equal("orders.read", (string?)basic["scope"]);
        Assert.False((bool?)basic["has_refresh_token"], "The client credentials grant answered a refresh token.");
        Assert.False((bool?)basic["has_id_token"], "The client credentials grant answered an ID token.");

        // No scope asked: every API scope the client is allowed.
        var post = observed["post"]!;
        Assert.Equal("orders.read orders.write funcauth.admin", (string?)post["scope"]);
        Assert.False((bool?)post["has_refresh_token"]);

        Assert.Equal("invalid_scope", (string?)observed["not_allowed_scope"]?["error"]);
        Assert.Equal("invalid_scope", (string?)observed["user_scope"]?["error"]);

        // A wrong secret: 401 with the Basic challenge over Basic (the library reports the challenge), 400 posted.
        var wrongBasic = observed["wrong_secret_basic"];
        Assert.True(wrongBasic is not null, "A wrong secret over Basic got a token.");
        Assert.Equal(401, (int?)wrongBasic["status"]);
        if ((string?)wrongBasic["kind"] == "challenge")
        {
            Assert.Contains("basic", Strings(wrongBasic["schemes"]).Select(s => s?.ToLowerInvariant()));
        }
        else
        {
            Assert.Equal("invalid_client", (string?)wrongBasic["error"]);
        }

        var wrongPost = observed["wrong_secret_post"];
        Assert.True(wrongPost is not null, "A wrong secret posted got a token.");
        Assert.Equal("invalid_client", (string?)wrongPost["error"]);
        Assert.Equal(400, (int?)wrongPost["status"]);

        // verify: the client, its scope, no user.
        var verified = observed["verified"]!;
        Assert.Equal(200, (int?)verified["status"]);
        var claims = verified["body"]!;
        Assert.Equal(ServiceClients.ServiceClients.Orders, (string?)claims["sub"]);
        Assert.Equal(ServiceClients.ServiceClients.Orders, (string?)claims["client_id"]);
        Assert.Equal("orders.read", (string?)claims["scope"]);
        Assert.Null(claims["username"]);

        // The library's RFC 7009 revocation took that token, and only that one.
        Assert.Equal(401, (int?)observed["after_revocation_status"]);
        Assert.Equal(200, (int?)observed["other_after_revocation_status"]);
    }

    [Fact]
    public async Task An_api_validating_offline_lets_a_service_in_with_the_scope_and_refuses_it_without()
    {
        await using var api = await StartOrdersApiAsync();
        using var ordersApi = api.GetTestClient();

        using (var withScope = await CallOrdersAsync(ordersApi, "orders.read"))
        {
            Assert.Equal(HttpStatusCode.OK, withScope.StatusCode);
            Assert.Equal(ServiceClients.ServiceClients.Orders, await withScope.Content.ReadAsStringAsync());
        }

        using (var withoutScope = await CallOrdersAsync(ordersApi, "orders.write"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, withoutScope.StatusCode);
        }

        // A user's token from the same FuncAuth has no API scope: authenticated, and still refused.
        using var funcAuth = new HttpClient { BaseAddress = new Uri(Address + "/") };
        var userToken = await funcAuth.RegisterAndLoginAsync(AuthClient.NewUsername());
        using var user = new HttpRequestMessage(HttpMethod.Get, "/orders");
        user.Headers.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        using var userResponse = await ordersApi.SendAsync(user);
        Assert.Equal(HttpStatusCode.Forbidden, userResponse.StatusCode);

        using var anonymous = await ordersApi.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    /// <summary>The calling service: a token for <paramref name="scope"/> from FuncAuth, then the orders API with it.</summary>
    private async Task<HttpResponseMessage> CallOrdersAsync(HttpClient ordersApi, string scope)
    {
        // What the README's snippet takes as given: FuncAuth's base URL, the client's registration, an HttpClient.
        var funcAuth = Address;
        var clientId = ServiceClients.ServiceClients.Orders;
        var clientSecret = ServiceClients.ServiceClients.OrdersSecret;
        using var http = new HttpClient();

        // <readme:service-caller>
        // client_secret_basic: id and secret form-encoded, joined by ':', base64 (RFC 6749 §2.3.1).
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}"));
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, funcAuth + "/api/auth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = scope,                                          // or leave it out: every API scope allowed
            }),
        };
        tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var tokenResponse = await http.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        var token = await tokenResponse.Content.ReadFromJsonAsync<JsonElement>();

        // Keep it until shortly before expires_in runs out: each token request checks the secret, which is throttled.
        var accessToken = token.GetProperty("access_token").GetString();
        var ordersRequest = new HttpRequestMessage(HttpMethod.Get, "/orders");
        ordersRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        // </readme:service-caller>

        using (ordersRequest)
        {
            return await ordersApi.SendAsync(ordersRequest);
        }
    }

    private async Task<WebApplication> StartOrdersApiAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();

        // <readme:service-api>
        var funcAuth = "http://localhost:7071";   // FuncAuth's base URL; deployed: "https://<your-funcauth-app>.azurewebsites.net"
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MetadataAddress = funcAuth + "/.well-known/openid-configuration";
            options.RequireHttpsMetadata = false;   // local FuncAuth over plain http only: delete this line for https
            options.Audience = "funcauth";                                  // = FuncAuth:Tokens:Audience
            options.MapInboundClaims = false;                               // keep "sub", "scope", "client_id" as they are
            options.TokenValidationParameters.ValidTypes = ["at+jwt"];      // access tokens only (RFC 9068)
        });

        // "scope" is one space-separated string (RFC 9068 §2.2.3): the policy looks for one name in it.
        builder.Services.AddAuthorizationBuilder().AddPolicy("orders.read", policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.FindFirst("scope")?.Value.Split(' ').Contains("orders.read") == true));
        // </readme:service-api>

        // The one change: the test server's address for the README's (as ReadmeSnippetTests does).
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            options.MetadataAddress = options.MetadataAddress!.Replace(funcAuth, Address, StringComparison.Ordinal));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (ClaimsPrincipal caller) => caller.FindFirstValue("client_id")).RequireAuthorization("orders.read");
        await app.StartAsync();
        return app;
    }

    /// <summary>Runs the script with Node.js from the repository root; answers its JSON.</summary>
    private async Task<JsonNode> RunClientAsync()
    {
        var root = StorageFixture.RepositoryRoot;
        var script = Path.Combine(root, Script);
        Assert.True(File.Exists(script), $"The client script is missing: {script}");
        Assert.True(
            File.Exists(Path.Combine(root, "node_modules", "openid-client", "package.json")),
            $"openid-client is not installed in {root}/node_modules: run 'npm ci' there.");

        var node = await ExternalProcess.RunAsync("node", [script], root, new Dictionary<string, string?>
        {
            ["FUNCAUTH_ISSUER"] = Address,
            ["FUNCAUTH_CLIENT_ID"] = ServiceClients.ServiceClients.Orders,
            ["FUNCAUTH_CLIENT_SECRET"] = ServiceClients.ServiceClients.OrdersSecret,
            ["NODE_OPTIONS"] = null,
        });
        TestContext.Current.TestOutputHelper?.WriteLine(node.Output);
        Assert.True(node.ExitCode == 0, $"The service client failed: {node}");
        return JsonNode.Parse(node.Output) ?? throw new InvalidOperationException("The service client printed null.");
    }

    private static string?[] Strings(JsonNode? array) => array is JsonArray items ? [.. items.Select(item => (string?)item)] : [];

    [Theory]
    [InlineData("service-caller")]
    [InlineData("service-api")]
    public void The_readme_snippet_is_the_code_these_tests_run(string name) =>
        Assert.Equal(ReadmeSnippets.Snippet(name).Split('\n'), ReadmeSnippets.Marked("tests/FuncAuth.Tests/Interop/ServiceClientInteropTests.cs", name));
}
