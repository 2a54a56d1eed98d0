using System.Net;
using System.Net.Http.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security;

/// <summary>
/// <c>FuncAuth:Throttling:ClientAddressHeader</c> through the real pipeline: each client the proxy names has its own
/// budget, in every form a proxy writes, and what a client writes before the proxy's element changes nothing.
/// </summary>
public sealed class ClientAddressHeaderTests(StorageFixture storage)
{
    private const string Header = "X-Forwarded-For";

    [Fact]
    public async Task Application_gateway_addresses_with_ports_are_one_client_each()
    {
        await using var app = NewApp();
        using var client = app.CreateClient();

        // One client, a new source port per connection: one budget.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "203.0.113.7:51234"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "203.0.113.7:51235"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "203.0.113.7"));

        // Another client is not throttled by the first one's use (before, both were "unknown": one shared budget).
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.51.100.9:40000"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.51.100.9:40001"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "198.51.100.9:40002"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.51.100.10:40000"));
    }

    [Fact]
    public async Task IPv6_forms_are_read_and_one_64_prefix_is_one_client()
    {
        await using var app = NewApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "[2001:db8:1:2::1]:443"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "[2001:db8:1:2::2]"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "2001:db8:1:2::3"));

        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "[2001:db8:1:3::1]:443"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "2001:db8:1:4::1"));
    }

    [Fact]
    public async Task What_a_client_writes_before_the_proxys_element_changes_nothing()
    {
        await using var app = NewApp();
        using var client = app.CreateClient();

        // The client sends its own X-Forwarded-For; the proxy appends the address it saw. Whatever the client wrote,
        // its budget is the proxy-appended address's: it cannot leave it, nor spend another client's.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "1.2.3.4, 198.18.0.5"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "5.6.7.8, 9.9.9.9, 198.18.0.5:1234"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "not an address, 198.18.0.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "198.18.0.5"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, ["203.0.113.50", "198.18.0.5"]));

        // The addresses it wrote are untouched budgets of their own.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "1.2.3.4"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "9.9.9.9"));
    }

    [Fact]
    public async Task A_last_element_without_an_address_shares_the_unknown_budget_and_is_logged_once_without_its_value()
    {
        await using var app = NewApp();
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.18.0.5, secret-looking-garbage"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.18.0.6, 1.2.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginFrom(client, "198.18.0.7,"));

        // None of the earlier elements' budgets was spent.
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginFrom(client, "198.18.0.5"));
        Assert.Single(app.Logs.Lines, l => l.Contains("held no address in its last element", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("secret-looking-garbage", StringComparison.Ordinal));
    }

    private FuncAuthApp NewApp() => new(storage.ConnectionString, new Dictionary<string, string?>
    {
        ["FuncAuth:Throttling:PermitLimit"] = "2",
        ["FuncAuth:Throttling:Window"] = "00:10:00",
        ["FuncAuth:Throttling:ClientAddressHeader"] = Header,
    });

    private static Task<HttpStatusCode> LoginFrom(HttpClient client, string forwardedFor) => LoginFrom(client, [forwardedFor]);

    private static async Task<HttpStatusCode> LoginFrom(HttpClient client, string[] forwardedForLines)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/login")
        {
            Content = JsonContent.Create(new { username = "nobody-here", password = "whatever it is" }),
        };
        Assert.True(request.Headers.TryAddWithoutValidation(Header, forwardedForLines));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
