using System.Net;
using System.Text;
using System.Text.Json;
using FuncAuth.Clients;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Clients;

/// <summary>
/// Client authentication for the token endpoint (RFC 6749 §2.3.1): client_secret_basic or client_secret_post, never both;
/// a public client names itself and sends no secret; a request with no registered client stays anonymous.
/// </summary>
public sealed class ClientAuthenticationTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly ClientAuthentication _authentication;

    public ClientAuthenticationTests()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs));
        var options = new ClientOptions();
        options.Clients.Add(Registration("web", "s3cret:with/odd chars+%"));
        options.Clients.Add(Registration("spa", null));
        options.Clients.Add(Registration("a:b c", "colon-client-secret"));
        _authentication = new ClientAuthentication(new ClientRegistry(Options.Create(options)), _loggers.CreateLogger<ClientAuthentication>());
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    private static ClientRegistration Registration(string id, string? secret)
    {
        var registration = new ClientRegistration { ClientId = id, ClientSecret = secret };
        registration.RedirectUris.Add("https://app.example/cb");
        return registration;
    }

    /// <summary>An Authorization: Basic header with each part form-urlencoded first, as RFC 6749 §2.3.1 says.</summary>
    private static string Basic(string id, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id).Replace("%20", "+", StringComparison.Ordinal)}:{Uri.EscapeDataString(secret)}"));

    private (ClientAuthenticationResult Result, HttpContext Context) Authenticate(string? authorization, params (string Name, string Value)[] parameters)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return (_authentication.Authenticate(context.Request, parameters.ToDictionary(p => p.Name, p => p.Value)), context);
    }

    private static async Task<(int Status, string Error)> ErrorAsync(ClientAuthenticationResult result, HttpContext context)
    {
        Assert.Equal(ClientAuthenticationOutcome.Refused, result.Outcome);
        Assert.Null(result.Client);
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        await result.Error!.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, json.RootElement.GetProperty("error").GetString()!);
    }

    [Fact]
    public void Client_secret_basic_authenticates_with_form_encoded_parts()
    {
        var (result, _) = Authenticate(Basic("web", "s3cret:with/odd chars+%"));
        Assert.Equal(ClientAuthenticationOutcome.Authenticated, result.Outcome);
        Assert.Equal("web", result.Client!.ClientId);

        // A client id with a colon and a space survives the encoding.
        (result, _) = Authenticate(Basic("a:b c", "colon-client-secret"), ("client_id", "a:b c"));
        Assert.Equal(ClientAuthenticationOutcome.Authenticated, result.Outcome);
        Assert.Equal("a:b c", result.ClientId);
    }

    [Fact]
    public void Client_secret_post_authenticates()
    {
        var (result, _) = Authenticate(null, ("client_id", "web"), ("client_secret", "s3cret:with/odd chars+%"));
        Assert.Equal(ClientAuthenticationOutcome.Authenticated, result.Outcome);
        Assert.Equal("web", result.Client!.ClientId);
    }

    [Fact]
    public async Task Both_methods_at_once_are_an_invalid_request()
    {
        var (result, context) = Authenticate(Basic("web", "s3cret:with/odd chars+%"), ("client_id", "web"), ("client_secret", "s3cret:with/odd chars+%"));
        Assert.Equal((400, "invalid_request"), await ErrorAsync(result, context));
    }

    [Fact]
    public async Task A_client_id_that_is_not_the_basic_one_is_an_invalid_request()
    {
        var (result, context) = Authenticate(Basic("web", "s3cret:with/odd chars+%"), ("client_id", "spa"));
        Assert.Equal((400, "invalid_request"), await ErrorAsync(result, context));
    }

    [Fact]
    public async Task A_wrong_secret_over_basic_is_401_invalid_client_with_a_basic_challenge_and_a_security_event()
    {
        var (result, context) = Authenticate(Basic("web", "wrong-secret-value"));
        Assert.Equal(((int)HttpStatusCode.Unauthorized, "invalid_client"), await ErrorAsync(result, context));
        Assert.StartsWith("Basic realm=", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);

        Assert.Contains(_logs.Events, e => e.Id == 4060 && e.Name == "ClientAuthenticationFailed");
        Assert.Contains(_logs.Lines, l => l.Contains("ClientId=web", StringComparison.Ordinal) && l.Contains("a wrong secret", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("wrong-secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_secret_posted_is_400_invalid_client_without_a_challenge()
    {
        var (result, context) = Authenticate(null, ("client_id", "web"), ("client_secret", "wrong-secret-value"));
        Assert.Equal((400, "invalid_client"), await ErrorAsync(result, context));
        Assert.Equal(0, context.Response.Headers.WWWAuthenticate.Count);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("wrong-secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_confidential_client_without_its_secret_is_refused()
    {
        var (result, context) = Authenticate(null, ("client_id", "web"));
        Assert.Equal((400, "invalid_client"), await ErrorAsync(result, context));
    }

    [Fact]
    public async Task A_public_client_must_not_send_a_secret()
    {
        var (result, context) = Authenticate(null, ("client_id", "spa"), ("client_secret", "anything"));
        Assert.Equal((400, "invalid_client"), await ErrorAsync(result, context));

        (result, context) = Authenticate(Basic("spa", "anything"));
        Assert.Equal((401, "invalid_client"), await ErrorAsync(result, context));
    }

    [Fact]
    public void A_public_client_names_itself_with_client_id_or_an_empty_basic_secret()
    {
        var (result, _) = Authenticate(null, ("client_id", "spa"));
        Assert.Equal(ClientAuthenticationOutcome.Public, result.Outcome);
        Assert.Equal("spa", result.Client!.ClientId);

        (result, _) = Authenticate("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("spa:")));
        Assert.Equal(ClientAuthenticationOutcome.Public, result.Outcome);
    }

    [Fact]
    public async Task No_client_or_an_unregistered_one_without_a_secret_is_anonymous_but_an_unregistered_one_with_a_secret_is_refused()
    {
        Assert.Equal(ClientAuthenticationOutcome.Anonymous, Authenticate(null).Result.Outcome);

        // What the password and refresh_token grants have always accepted, and ignored.
        var (result, _) = Authenticate(null, ("client_id", "openid-client-interop"));
        Assert.Equal(ClientAuthenticationOutcome.Anonymous, result.Outcome);
        Assert.Equal("openid-client-interop", result.ClientId);
        Assert.Null(result.Client);
        Assert.Equal(ClientAuthenticationOutcome.Anonymous, Authenticate("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("my-client:"))).Result.Outcome);
        Assert.Equal(ClientAuthenticationOutcome.Anonymous, Authenticate("Bearer some.access.token").Result.Outcome);

        var context = Authenticate(Basic("nobody", "a-secret"));
        Assert.Equal((401, "invalid_client"), await ErrorAsync(context.Result, context.Context));
        Assert.Contains(_logs.Lines, l => l.Contains("ClientId=(unregistered)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Basic")]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic bm8tY29sb24=")] // "no-colon"
    [InlineData("Basic //79")] // not UTF-8
    public async Task Malformed_basic_credentials_are_401_invalid_client(string header)
    {
        var (result, context) = Authenticate(header);
        Assert.Equal((401, "invalid_client"), await ErrorAsync(result, context));
        Assert.Equal(1, context.Response.Headers.WWWAuthenticate.Count);
    }
}
