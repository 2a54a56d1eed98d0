using System.Net;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Pipeline;

/// <summary>
/// The admin API only for administrators, as the runner decides it from each declaration: every endpoint declared
/// <c>RequiresAdmin</c> is tried, so a new one cannot forget it. (A service client's token on the endpoints that act for a
/// user: ClientCredentialsGrantTests.)
/// </summary>
public sealed class CallerKindTests(StorageFixture storage)
{
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
