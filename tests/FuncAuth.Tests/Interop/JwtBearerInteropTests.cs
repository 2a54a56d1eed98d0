using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json.Nodes;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// A separate ASP.NET Core API protected by <c>Microsoft.AspNetCore.Authentication.JwtBearer</c>, told nothing but
/// FuncAuth's issuer (as <c>Authority</c>) and the audience: it finds the keys through the discovery document
/// over real HTTP and validates FuncAuth's ES256 tokens offline. No secret is shared with it.
/// </summary>
public sealed class JwtBearerInteropTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly int _port = AzuriteProcess.FreePort();
    private readonly FakeTimeProvider _funcAuthClock = new(DateTimeOffset.UtcNow.AddHours(-1));
    private FuncAuthApp _funcAuth = null!;
    private HttpClient _funcAuthClient = null!;

    private string Issuer => $"http://127.0.0.1:{_port}";

    public ValueTask InitializeAsync()
    {
        _funcAuth = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Tokens:Issuer"] = Issuer,
        })
        { Time = _funcAuthClock };
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task JwtBearer_accepts_a_FuncAuth_token_and_refuses_tampered_expired_and_foreign_ones(bool requireAccessTokenType)
    {
        // Issued an hour ago on FuncAuth's clock, so long expired by the verifier's.
        var username = AuthClient.NewUsername();
        var expired = await _funcAuthClient.RegisterAndLoginAsync(username);
        _funcAuthClock.SetUtcNow(DateTimeOffset.UtcNow);
        using var login = await _funcAuthClient.LoginAsync(username, "correct horse battery");
        var token = await login.AccessTokenAsync();
        var subject = TestTokens.PayloadOf(token)["sub"]!.GetValue<string>();

        await using var api = await StartProtectedApiAsync(requireAccessTokenType);
        using var client = api.GetTestClient();

        using (var accepted = await CallAsync(client, token))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(subject, await accepted.Content.ReadAsStringAsync());
        }

        await AssertRefusedAsync(client, Tamper(token));
        await AssertRefusedAsync(client, expired);
        await AssertRefusedAsync(client, await ForeignIssuerTokenAsync());
    }

    private async Task<WebApplication> StartProtectedApiAsync(bool requireAccessTokenType)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.Authority = Issuer;
            options.Audience = FuncAuthApp.Audience;
            options.RequireHttpsMetadata = false; // the test's FuncAuth speaks plain HTTP on loopback
            options.MapInboundClaims = false;
            if (requireAccessTokenType)
            {
                options.TokenValidationParameters.ValidTypes = ["at+jwt"];
            }
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    /// <summary>A token our key signed for another issuer: the signature alone must not be enough.</summary>
    private async Task<string> ForeignIssuerTokenAsync()
    {
        await using var other = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Tokens:Issuer"] = "https://another-issuer.example",
        });
        using var client = other.CreateClient();
        return await client.RegisterAndLoginAsync(AuthClient.NewUsername());
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = TestTokens.PayloadOf(token);
        payload["sub"] = Guid.NewGuid().ToString();
        return $"{parts[0]}.{TestTokens.Encode(payload.ToJsonString())}.{parts[2]}";
    }

    private static Task<HttpResponseMessage> CallAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpClient client, string token)
    {
        using var response = await CallAsync(client, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
