using System.Net;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Pipeline;

/// <summary>
/// Who may call what, as the runner decides it from each declaration: a service client's token (client credentials: no
/// user) only where an endpoint accepts one, and the admin API only for administrators. Every declared endpoint is tried,
/// so a new one cannot forget it.
/// </summary>
public sealed class CallerKindTests(StorageFixture storage)
{
    [Fact]
    public async Task A_service_clients_token_is_refused_with_insufficient_scope_by_every_endpoint_that_acts_for_a_user()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var serviceToken = app.Services.GetRequiredService<TokenIssuer>().IssueForClient("reports-service", "orders.read").Token;

        var userEndpoints = FuncAuthEndpoints.All.Where(e => e.RequiresBearerToken && !e.AcceptsServiceClients && !e.RequiresAdmin).ToList();
        Assert.NotEmpty(userEndpoints);
        foreach (var endpoint in userEndpoints)
        {
            using var response = await client.SendAsync(Request(endpoint, serviceToken));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{endpoint.Name}: {(int)response.StatusCode}");
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", response.Challenge(), StringComparison.Ordinal);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // verify is the one that answers any valid token, a service client's included.
        using var verified = await client.VerifyAsync(serviceToken);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task The_admin_api_refuses_anonymous_callers_with_401_and_ordinary_users_with_403()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (userToken, _) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());

        var adminEndpoints = FuncAuthEndpoints.All.Where(e => e.RequiresAdmin).ToList();
        Assert.Equal(7, adminEndpoints.Count);
        foreach (var endpoint in adminEndpoints)
        {
            using var anonymous = await client.SendAsync(Request(endpoint, token: null));
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{endpoint.Name}: {(int)anonymous.StatusCode}");
            Assert.Equal("Bearer", anonymous.Challenge());

            using var user = await client.SendAsync(Request(endpoint, userToken));
            Assert.True(user.StatusCode == HttpStatusCode.Forbidden, $"{endpoint.Name}: {(int)user.StatusCode}");
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", user.Challenge(), StringComparison.Ordinal);
        }
    }

    /// <summary>The endpoint's first verb on its route (a made-up <c>{id}</c>), with the token and no body: the caller is decided first.</summary>
    private static HttpRequestMessage Request(FuncAuthEndpoint endpoint, string? token)
    {
        var route = endpoint.Route.Replace("{id}", "AAAAAAAAAAAAAAAAAAAAAA", StringComparison.Ordinal);
        return token is null
            ? new HttpRequestMessage(new HttpMethod(endpoint.Methods[0]), route)
            : AuthClient.WithBearer(new HttpMethod(endpoint.Methods[0]), route, token);
    }
}
