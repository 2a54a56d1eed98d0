using System.Net;
using System.Net.Http.Json;
using FuncAuth.Http;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Security;

/// <summary>Per-client throttling of register, login, token and password: 429 problem+json with Retry-After beyond the limit.</summary>
public sealed class ThrottlingTests(StorageFixture storage)
{
    [Fact]
    public async Task A_client_over_the_limit_gets_429_with_retry_after_on_every_credential_endpoint_but_verify_goes_on()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Throttling:PermitLimit"] = "4",
            ["FuncAuth:Throttling:Window"] = "00:10:00",
        });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, _) = await client.RegisterAndStartSessionAsync(username); // 2 of 4
        using (var third = await client.LoginAsync(username, "correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        }

        using (var fourth = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "correct horse battery")))
        {
            Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        }

        var throttled = new List<HttpResponseMessage>
        {
            await client.LoginAsync(username, "correct horse battery"),
            await client.RegisterAsync(AuthClient.NewUsername(), "correct horse battery"),
            await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "correct horse battery")),
            await client.ChangePasswordAsync(access, "correct horse battery", "a brand new password"),
        };
        foreach (var response in throttled)
        {
            Expect.Problem(response, HttpStatusCode.TooManyRequests);
            var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
            Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
            response.Dispose();
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains("ClientThrottled", StringComparison.Ordinal) || l.Contains("exceeded the request limit", StringComparison.Ordinal));
        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task Clients_are_told_apart_by_the_configured_address_header()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Throttling:PermitLimit"] = "2",
            ["FuncAuth:Throttling:ClientAddressHeader"] = "X-Azure-ClientIP",
        });
        using var client = app.CreateClient();
        async Task<HttpStatusCode> LoginFrom(string address)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/login")
            {
                Content = JsonContent.Create(new { username = "nobody-here", password = "whatever it is" }),
            };
            request.Headers.Add("X-Azure-ClientIP", address);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("203.0.113.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom("203.0.113.7"));

        // Another client has its own budget; an IPv6 client is one /64, however many addresses it uses.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("198.51.100.9"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("2001:db8:1:2::ffff"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom("2001:db8:1:2:abcd::5"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom("2001:db8:1:3::1"));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("2001:db8:aaaa:bbbb:1:2:3:4", "2001:db8:aaaa:bbbb::/64")]
    public void The_partition_is_the_address_or_its_64_prefix(string address, string partition)
    {
        using var throttle = new ClientThrottle(Options.Create(new ThrottlingOptions()), NullLogger<ClientThrottle>.Instance);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        Assert.Equal(partition, throttle.ClientOf(context.Request));
    }

    [Fact]
    public void Without_the_configured_header_a_request_is_not_trusted_for_its_address()
    {
        using var throttle = new ClientThrottle(
            Options.Create(new ThrottlingOptions { ClientAddressHeader = "X-Azure-ClientIP" }), NullLogger<ClientThrottle>.Instance);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.1");
        context.Request.Headers["X-Forwarded-For"] = "198.51.100.1";
        Assert.Equal("unknown", throttle.ClientOf(context.Request));
        context.Request.Headers["X-Azure-ClientIP"] = "not an address";
        Assert.Equal("unknown", throttle.ClientOf(context.Request));
    }
}
