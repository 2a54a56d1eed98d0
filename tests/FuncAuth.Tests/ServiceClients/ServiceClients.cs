using System.Net.Http.Headers;
using System.Text;
using FuncAuth.Tests.Clients;

namespace FuncAuth.Tests.ServiceClients;

/// <summary>
/// Service clients for tests, beside <see cref="TestClients"/>: one registered for the client credentials grant with
/// API scopes (among them the admin API's), one with only a user scope besides its API scope.
/// </summary>
public static class ServiceClients
{
    public const string Orders = "orders-service";
    public const string OrdersSecret = "orders-service-secret-0123456789";

    /// <summary>A client id with characters that Basic's form-encoding must carry (RFC 6749 §2.3.1).</summary>
    public const string Reports = "reports:service";
    public const string ReportsSecret = "reports secret/with+odd%chars";

    public const string GrantType = "client_credentials";

    /// <summary>The test clients plus the service clients, with an ES256 key; and <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = TestClients.Settings(new Dictionary<string, string?>
        {
            ["FuncAuth:Clients:4:ClientId"] = Orders,
            ["FuncAuth:Clients:4:ClientSecret"] = OrdersSecret,
            ["FuncAuth:Clients:4:AllowedGrantTypes:0"] = GrantType,
            ["FuncAuth:Clients:4:AllowedScopes:0"] = "orders.read",
            ["FuncAuth:Clients:4:AllowedScopes:1"] = "orders.write",
            ["FuncAuth:Clients:4:AllowedScopes:2"] = "funcauth.admin",
            ["FuncAuth:Clients:5:ClientId"] = Reports,
            ["FuncAuth:Clients:5:ClientSecret"] = ReportsSecret,
            ["FuncAuth:Clients:5:AllowedGrantTypes:0"] = GrantType,
            ["FuncAuth:Clients:5:AllowedScopes:0"] = "openid",
            ["FuncAuth:Clients:5:AllowedScopes:1"] = "api://reports/read",
        });
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>client_secret_basic: each part form-urlencoded, then joined and base64 (RFC 6749 §2.3.1).</summary>
    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FormEncode(clientId)}:{FormEncode(secret)}")));

    /// <summary>POST api/auth/token with grant_type=client_credentials, these parameters and, if given, Basic credentials.</summary>
    public static Task<HttpResponseMessage> ClientCredentialsAsync(
        this HttpClient client, AuthenticationHeaderValue? basic, params (string Name, string Value)[] parameters)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/token")
        {
            Content = new FormUrlEncodedContent(
                new[] { ("grant_type", GrantType) }.Concat(parameters).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))),
        };
        request.Headers.Authorization = basic;
        return client.SendAsync(request);
    }

    /// <summary>A token of the orders service, by Basic.</summary>
    public static async Task<string> OrdersTokenAsync(this HttpClient client, string? scope = null)
    {
        using var response = scope is null
            ? await client.ClientCredentialsAsync(Basic(Orders, OrdersSecret))
            : await client.ClientCredentialsAsync(Basic(Orders, OrdersSecret), ("scope", scope));
        response.EnsureSuccessStatusCode();
        return await FuncAuth.Tests.Support.AuthClient.AccessTokenAsync(response);
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
