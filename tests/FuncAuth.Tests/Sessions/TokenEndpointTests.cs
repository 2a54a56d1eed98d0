using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Sessions;

/// <summary>
/// <c>POST api/auth/token</c> as RFC 6749 specifies it, field by field, for the requests standard OAuth 2.0 clients
/// send (a form, client credentials in a Basic header, FastAPI's OAuth2PasswordRequestForm fields) and for JSON.
/// </summary>
public sealed class TokenEndpointTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task The_password_grant_answers_an_rfc_6749_token_response()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var response = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password));
        await AssertTokenResponseAsync(response);
    }

    [Fact]
    public async Task Standard_clients_requests_are_accepted_as_they_are_sent()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // FastAPI's OAuth2PasswordRequestForm / Swagger UI: empty scope, client_id and client_secret (empty means omitted).
        using (var fastApi = await Client.TokenAsync(
            ("grant_type", "password"), ("username", username), ("password", Password), ("scope", ""), ("client_id", ""), ("client_secret", "")))
        {
            await AssertTokenResponseAsync(fastApi);
        }

        // requests-oauthlib / Authlib: the client id in a Basic header with an empty secret, and a scope.
        var basic = new HttpRequestMessage(HttpMethod.Post, "api/auth/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password"), new("username", username), new("password", Password), new("scope", "openid profile")]),
        };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("my-client:")));
        using (var withBasic = await Client.SendAsync(basic))
        {
            await AssertTokenResponseAsync(withBasic);
        }

        // JSON, for clients that prefer it; and the refresh grant with a client_id.
        using var json = await Client.PostAsync("api/auth/token", new StringContent(
            $$"""{"grant_type":"password","username":"{{username}}","password":"{{Password}}","client_id":"spa"}""", Encoding.UTF8, "application/json"));
        var (_, refresh) = await AssertTokenResponseAsync(json);
        using var refreshed = await Client.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "spa"));
        await AssertTokenResponseAsync(refreshed);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_one_and_the_same_invalid_grant()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var wrong = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "wrong password"));
        using var unknown = await Client.TokenAsync(("grant_type", "password"), ("username", AuthClient.NewUsername()), ("password", Password));
        await Expect.OAuthErrorAsync(wrong, "invalid_grant");
        await Expect.OAuthErrorAsync(unknown, "invalid_grant");
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Equal("""{"error":"invalid_grant","error_description":"The username or password is incorrect."}""", await wrong.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> BadRequests() => new()
    {
        // form body, expected error, what the description must mention
        { "username=alice&password=secret1234", "invalid_request", "grant_type" },
        { "grant_type=&username=alice&password=secret1234", "invalid_request", "grant_type" },
        { "grant_type=client_credentials", "unsupported_grant_type", "grant_type" },
        { "grant_type=authorization_code&code=x", "unsupported_grant_type", "grant_type" },
        { "grant_type=PASSWORD&username=alice&password=secret1234", "unsupported_grant_type", "grant_type" },
        { "grant_type=refresh_token", "invalid_request", "refresh_token" },
        { "grant_type=refresh_token&refresh_token=not-a-refresh-token", "invalid_grant", "refresh token" },
        { "grant_type=refresh_token&refresh_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_grant", "refresh token" },
        { "grant_type=password&password=secret1234", "invalid_request", "username" },
        { "grant_type=password&username=alice", "invalid_request", "password" },
        { "grant_type=password&grant_type=password&username=alice&password=secret1234", "invalid_request", "more than once" },
        { "grant_type=password&username=alice&username=bob&password=secret1234", "invalid_request", "more than once" },
        { "grant_type=password&username=%FF&password=secret1234", "invalid_request", "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Malformed_requests_get_rfc_6749_errors(string form, string error, string mentions)
    {
        using var response = await Client.PostAsync("api/auth/token", new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"));
        await Expect.OAuthErrorAsync(response, error);
        using var json = await response.JsonAsync();
        Assert.Contains(mentions, json.RootElement.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bodies_of_another_media_type_or_too_large_are_refused_as_everywhere_else()
    {
        using var text = await Client.PostAsync("api/auth/token", new StringContent("grant_type=password", Encoding.UTF8, "text/plain"));
        Expect.Problem(text, HttpStatusCode.UnsupportedMediaType);
        using var large = await Client.TokenAsync(("grant_type", "password"), ("username", "alice"), ("password", new string('x', 9000)));
        Expect.Problem(large, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("application/json", "[\"grant_type\",\"password\"]")]
    [InlineData("application/json", "{\"grant_type\":[\"password\"]}")]
    [InlineData("application/json", "{\"grant_type\":\"password\"")]
    public async Task Bodies_that_are_not_parameters_are_invalid_request(string mediaType, string body)
    {
        using var response = await Client.PostAsync("api/auth/token", new StringContent(body, Encoding.UTF8, mediaType));
        await Expect.OAuthErrorAsync(response, "invalid_request");
    }

    private static async Task<(string Access, string Refresh)> AssertTokenResponseAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.Select(p => p.Name));
        using var json = await response.JsonAsync();
        var root = json.RootElement;
        Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(900, root.GetProperty("expires_in").GetInt64());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", root.GetProperty("refresh_token").GetString()!);
        var access = root.GetProperty("access_token").GetString()!;
        Assert.Equal(3, access.Split('.').Length);
        return (access, root.GetProperty("refresh_token").GetString()!);
    }
}
