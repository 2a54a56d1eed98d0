using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Pipeline;

/// <summary>
/// The one endpoint pipeline: every declared endpoint is served by both hosts through the same runner, the Functions
/// adapter (which cannot be built here) matches the declarations, and what a declaration says is what a request meets.
/// </summary>
public sealed partial class EndpointPipelineTests(StorageFixture storage)
{
    private static readonly string FunctionsFolder = Path.Combine(StorageFixture.RepositoryRoot, "src", "FuncAuth.Functions");

    [Fact]
    public void Every_declared_endpoint_has_exactly_one_function_with_its_name_verbs_and_route_and_nothing_else()
    {
        var source = string.Concat(Directory.GetFiles(FunctionsFolder, "*.cs").Select(File.ReadAllText));
        var functions = FunctionPattern().Matches(source).Select(m => new
        {
            Name = m.Groups["name"].Value,
            Verbs = m.Groups["verbs"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(v => v.Trim('"').ToUpperInvariant()).Order(StringComparer.Ordinal).ToArray(),
            Route = m.Groups["route"].Value,
            Runs = m.Groups["runs"].Value,
        }).ToList();

        // Every [Function] in the adapter was read by the pattern: none can hide from this comparison.
        Assert.Equal(Regex.Count(source, @"\[Function\("), functions.Count);
        Assert.DoesNotContain("Route = \"", source, StringComparison.Ordinal);

        var declared = FuncAuthEndpoints.All;
        Assert.Equal(declared.Count, functions.Count);
        foreach (var endpoint in declared)
        {
            var constant = typeof(FuncAuthEndpointNames).GetFields().Single(f => (string)f.GetValue(null)! == endpoint.Name).Name;
            var function = Assert.Single(functions, f => f.Name == constant);
            Assert.Equal(constant, function.Runs); // it hands the request to the endpoint it is named after
            Assert.Equal(endpoint.Methods.Order(StringComparer.Ordinal), function.Verbs);
            Assert.Equal(endpoint.Route, typeof(FuncAuthRoutes).GetField(function.Route)!.GetValue(null));
        }
    }

    [Fact]
    public void Declarations_are_complete_and_unique()
    {
        var declared = FuncAuthEndpoints.All;
        Assert.Equal(declared.Count, declared.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(typeof(FuncAuthEndpointNames).GetFields().Length, declared.Count);
        Assert.All(declared, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Summary), e.Name);
            Assert.False(string.IsNullOrWhiteSpace(e.Description), e.Name);
            Assert.Equal(e.Body != BodyKind.None, e.BodySchema is not null);
        });
    }

    [Fact]
    public async Task Register_with_a_form_body_is_a_415_that_says_it_takes_json_on_the_kestrel_host_too()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        using var response = await client.PostAsync(
            FuncAuthRoutes.Register, new FormUrlEncodedContent([new("username", "alice"), new("password", "correct horse battery")]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await response.JsonAsync();
        Assert.Equal("Send the body as application/json (UTF-8).", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_runner_called_as_the_functions_adapter_calls_it_answers_as_the_kestrel_host_does()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, _) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        var runner = app.Services.GetRequiredService<EndpointRunner>();

        // No token: the same 401 and challenge.
        using var kestrelMissing = await client.GetAsync(FuncAuthRoutes.Verify);
        var (status, headers, _) = await RunAsync(runner, FuncAuthEndpointNames.Verify, HttpMethods.Get, null);
        Assert.Equal((int)kestrelMissing.StatusCode, status);
        Assert.Equal(kestrelMissing.Challenge(), headers.WWWAuthenticate.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());

        // A valid token: verify's claims, byte for byte.
        using var kestrelVerified = await client.VerifyAsync(access);
        var (verified, _, body) = await RunAsync(runner, FuncAuthEndpointNames.Verify, HttpMethods.Get, access);
        Assert.Equal(StatusCodes.Status200OK, verified);
        Assert.Equal(await kestrelVerified.Content.ReadAsByteArrayAsync(), body);

        // A route value handed over by the adapter, as its trigger binds it: someone else's (no) session is 404 on both.
        using var kestrelEnd = await client.SendAsync(AuthClient.WithBearer(HttpMethod.Delete, "api/auth/sessions/AAAAAAAAAAAAAAAAAAAAAA", access));
        var (ended, _, _) = await RunAsync(runner, FuncAuthEndpointNames.EndSession, HttpMethods.Delete, access, ("id", "AAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Equal(HttpStatusCode.NotFound, kestrelEnd.StatusCode);
        Assert.Equal(StatusCodes.Status404NotFound, ended);
    }

    [Fact]
    public async Task Refreshes_do_not_draw_on_the_password_budget_but_on_their_own()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Throttling:PermitLimit"] = "3",
            ["FuncAuth:Throttling:TokenRequestPermitLimit"] = "12",
            ["FuncAuth:Throttling:Window"] = "00:10:00",
        });
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, refresh) = await client.RegisterAndStartSessionAsync(username); // password checks: 2 of 3

        // Ten refreshes (token budget 10 of 12), none of them a password check.
        for (var i = 0; i < 10; i++)
        {
            using var refreshed = await client.RefreshAsync(refresh);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            (_, refresh) = await refreshed.TokensAsync();
        }

        // The password budget is where it was: one more password check (by the password grant: token budget 11 of 12).
        using (var grant = await client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "correct horse battery")))
        {
            Assert.Equal(HttpStatusCode.OK, grant.StatusCode);
        }

        using (var overPasswords = await client.LoginAsync(username, "correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, overPasswords.StatusCode);
        }

        // The token budget has its own end: 12 of 12, then 429 for a refresh too.
        using (var last = await client.RefreshAsync(refresh))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
            (_, refresh) = await last.TokensAsync();
        }

        using var overTokens = await client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.TooManyRequests, overTokens.StatusCode);
        Assert.NotEmpty(overTokens.Headers.GetValues("Retry-After"));
    }

    private static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> RunAsync(
        EndpointRunner runner, string name, string method, string? token, params (string Name, string? Value)[] routeValues)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (token is not null)
        {
            context.Request.Headers.Authorization = $"Bearer {token}";
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        var result = await runner.RunAsync(name, context.Request, CancellationToken.None, routeValues);
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }

    [GeneratedRegex(
        @"\[Function\(FuncAuthEndpointNames\.(?<name>\w+)\)\]\s*public\s+Task<IResult>\s+\w+\(\s*\[HttpTrigger\(AuthorizationLevel\.Anonymous,\s*(?<verbs>(?:""\w+"",\s*)+)Route = FuncAuthRoutes\.(?<route>\w+)\)\]\s*HttpRequest request,[^=]*=>\s*runner\.RunAsync\(FuncAuthEndpointNames\.(?<runs>\w+),",
        RegexOptions.Singleline)]
    private static partial Regex FunctionPattern();
}
