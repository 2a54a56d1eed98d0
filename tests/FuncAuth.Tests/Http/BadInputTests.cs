using System.Net;
using System.Text;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Http;

/// <summary>Bad input is answered with a clear 4xx application/problem+json: never a 500 or a stack trace.</summary>
public sealed class BadInputTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";

    public static TheoryData<string, string, string, string?, string?, string?, int> Cases() => new()
    {
        // name, method, path, content type, body, Authorization, expected status
        { "malformed JSON", "POST", "api/auth/register", Json, "{\"username\":", null, 400 },
        { "JSON null", "POST", "api/auth/register", Json, "null", null, 400 },
        { "JSON array", "POST", "api/auth/register", Json, "[\"a\",\"b\"]", null, 400 },
        { "JSON string", "POST", "api/auth/login", Json, "\"alice\"", null, 400 },
        { "empty body", "POST", "api/auth/login", Json, "", null, 400 },
        { "number as username", "POST", "api/auth/register", Json, "{\"username\":42,\"password\":\"long enough\"}", null, 400 },
        { "object as password", "POST", "api/auth/login", Json, "{\"username\":\"alice\",\"password\":{}}", null, 400 },
        { "duplicate property", "POST", "api/auth/register", Json, "{\"username\":\"a\",\"username\":\"b\",\"password\":\"long enough\"}", null, 400 },
        { "missing password", "POST", "api/auth/register", Json, "{\"username\":\"alice\"}", null, 400 },
        { "missing username", "POST", "api/auth/login", Json, "{\"password\":\"long enough\"}", null, 400 },
        { "empty username", "POST", "api/auth/register", Json, "{\"username\":\"\",\"password\":\"long enough\"}", null, 400 },
        { "blank username", "POST", "api/auth/login", Json, "{\"username\":\"   \",\"password\":\"long enough\"}", null, 400 },
        { "empty password", "POST", "api/auth/login", Json, "{\"username\":\"alice\",\"password\":\"\"}", null, 400 },
        { "short new password", "POST", "api/auth/register", Json, "{\"username\":\"alice\",\"password\":\"1234567\"}", null, 400 },
        { "username too long", "POST", "api/auth/register", Json, $"{{\"username\":\"{new string('u', 65)}\",\"password\":\"long enough\"}}", null, 400 },
        { "password too long", "POST", "api/auth/login", Json, $"{{\"username\":\"alice\",\"password\":\"{new string('p', 129)}\"}}", null, 400 },
        { "lone surrogate", "POST", "api/auth/register", Json, "{\"username\":\"a\\ud800b\",\"password\":\"long enough\"}", null, 400 },
        { "invalid UTF-8", "POST", "api/auth/login", Json, "{\"username\":\"\u00ff\u00fe\",\"password\":\"x\"}\u0080", null, 400 },
        { "body over the limit", "POST", "api/auth/login", Json, $"{{\"username\":\"alice\",\"password\":\"{new string('p', 9000)}\"}}", null, 413 },
        { "no content type", "POST", "api/auth/register", null, "{\"username\":\"alice\",\"password\":\"long enough\"}", null, 415 },
        { "text/plain", "POST", "api/auth/login", "text/plain", "username=alice&password=x", null, 415 },
        { "form to register", "POST", "api/auth/register", Form, "username=alice&password=long+enough", null, 415 },
        { "latin-1 JSON", "POST", "api/auth/login", "application/json; charset=iso-8859-1", "{\"username\":\"alice\",\"password\":\"x\"}", null, 415 },
        { "quoted latin-1 charset", "POST", "api/auth/login", "application/json; charset=\"iso-8859-1\"", "{\"username\":\"alice\",\"password\":\"x\"}", null, 415 },
        { "form field twice", "POST", "api/auth/login", Form, "username=alice&username=bob&password=x", null, 400 },
        { "percent-encoded invalid UTF-8", "POST", "api/auth/login", Form, "username=q1%FF&password=long+enough", null, 400 },
        { "percent-encoded overlong UTF-8", "POST", "api/auth/login", Form, "username=alice%C0%AF&password=long+enough", null, 400 },
        { "percent-encoded surrogate", "POST", "api/auth/login", Form, "username=alice&password=x%ED%A0%80x", null, 400 },
        { "percent-encoded invalid UTF-8 in a name", "POST", "api/auth/login", Form, "user%FFname=alice&username=bob&password=long+enough", null, 400 },
        { "form without password", "POST", "api/auth/login", Form, "username=alice", null, 400 },
        { "bearer without token", "GET", "api/auth/verify", null, null, "Bearer", 400 },
        { "bearer with two tokens", "GET", "api/auth/verify", null, null, "Bearer a b", 400 },
        { "basic credentials", "GET", "api/auth/verify", null, null, "Basic YWxpY2U6cGFzc3dvcmQ=", 401 },
        { "garbage token", "POST", "api/auth/logout", null, null, "Bearer !!!not-a-token!!!", 401 },
        { "oversized header", "GET", "api/auth/verify", null, null, "Bearer " + new string('x', 9000), 401 },
        { "wrong method", "GET", "api/auth/login", null, null, null, 405 },
        { "unknown route", "GET", "api/auth/nothing-here", null, null, null, 404 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_4xx_problem(string name, string method, string path, string? contentType, string? body, string? authorization, int expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            // Latin-1 lets a case carry bytes that are not UTF-8.
            request.Content = new ByteArrayContent(name == "invalid UTF-8" ? Encoding.Latin1.GetBytes(body) : Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"status\":{expected}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/json;charset=UTF-8")]
    [InlineData("Application/JSON; CHARSET=\"Utf-8\"")]
    public async Task Quoted_and_unquoted_charsets_are_accepted_alike(string contentType)
    {
        var username = AuthClient.NewUsername();
        using var register = await SendAsync("api/auth/register", contentType, $"{{\"username\":\"{username}\",\"password\":\"correct horse battery\"}}");
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);

        var formType = contentType.Replace("application/json", Form, StringComparison.OrdinalIgnoreCase);
        using var login = await SendAsync("api/auth/login", formType, $"username={username}&password=correct+horse+battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Form_fields_are_percent_decoded_to_what_json_would_carry()
    {
        // A name with a space, a plus, a percent sign, a non-ASCII letter and a typed U+FFFD (valid UTF-8).
        var username = $"{AuthClient.NewUsername()} +%\u00e9\ufffd";
        using var register = await Client.RegisterAsync(username, "correct horse battery");
        using var json = await Client.LoginAsync(username, "correct horse battery");
        using var form = await SendAsync("api/auth/login", Form, $"user%6Eame={Uri.EscapeDataString(username)}&password=correct+horse%20battery");

        // Whatever the username rules say about U+FFFD, both encodings of one name get one answer.
        Assert.Equal(register.StatusCode == HttpStatusCode.Created ? HttpStatusCode.OK : register.StatusCode, json.StatusCode);
        Assert.Equal(json.StatusCode, form.StatusCode);
    }

    [Fact]
    public async Task Validation_problems_name_the_field()
    {
        using var response = await Client.RegisterAsync("alice", "short");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = await response.JsonAsync();
        Assert.Equal("The password must be at least 8 characters.", problem.RootElement.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string contentType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await Client.SendAsync(request);
    }

    [Fact]
    public async Task Registration_can_be_turned_off()
    {
        await using var closed = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Registration:Enabled"] = "false" });
        using var client = closed.CreateClient();
        using var response = await client.RegisterAsync(AuthClient.NewUsername(), "correct horse battery");
        Expect.Problem(response, HttpStatusCode.Forbidden);
    }
}
