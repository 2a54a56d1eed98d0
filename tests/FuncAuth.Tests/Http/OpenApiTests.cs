using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FuncAuth.Http;
using FuncAuth.Server;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.OpenApi;

namespace FuncAuth.Tests.Http;

/// <summary>
/// The OpenAPI document: valid, complete against the endpoints the Kestrel host really maps (read from their
/// metadata, so an endpoint nobody described fails here), the same bytes from both hosts; and the docs page.
/// </summary>
public sealed class OpenApiTests(StorageFixture storage)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task The_served_document_is_openapi_3_1_and_parses_with_no_errors_or_warnings()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        using var response = await client.GetAsync(FuncAuthRoutes.OpenApi);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var (document, diagnostic) = OpenApiDocument.Parse(await response.Content.ReadAsStringAsync(), OpenApiConstants.Json);
        Assert.NotNull(document);
        Assert.NotNull(diagnostic);
        Assert.Empty(diagnostic.Errors);
        Assert.Empty(diagnostic.Warnings);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
    }

    [Fact]
    public async Task Every_endpoint_the_host_maps_is_described_with_each_status_it_can_answer()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var document = await ServedDocumentAsync(app);
        var endpoints = MappedEndpoints(app);
        Assert.Contains(endpoints, e => e.Path == "/" + FuncAuthRoutes.Login);

        foreach (var (path, method, endpoint) in endpoints)
        {
            var name = $"{method} {path}";
            var operation = Operation(document, path, method);
            Assert.True(operation is not null, $"{name} is mapped but not in the document.");

            // Summaries and descriptions come from the endpoint's metadata: one without them is undescribed.
            var summary = endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
            var description = endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description;
            Assert.False(string.IsNullOrWhiteSpace(summary), $"{name} has no summary (WithSummary).");
            Assert.False(string.IsNullOrWhiteSpace(description), $"{name} has no description (WithDescription).");
            Assert.Equal(summary, operation.Summary);
            Assert.Equal(description, operation.Description);

            // Exactly the statuses the metadata declares: the typed results' own, and the ones declared for results
            // whose status cannot be inferred.
            var declared = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
            var documented = operation.Responses!.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToHashSet();
            Assert.True(declared.SetEquals(documented), $"{name}: declared {string.Join(",", declared.Order())}, documented {string.Join(",", documented.Order())}.");

            var (inferred, uninferable) = ResultTypes(endpoint);
            foreach (var result in uninferable)
            {
                Assert.True(
                    declared.Except(inferred).Any(),
                    $"{name} can answer a {result.Name}, whose status ASP.NET Core cannot infer: declare each status it gives (ProducesProblem, Produces).");
            }
        }
    }

    [Fact]
    public async Task Nothing_in_the_document_is_unmapped()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var document = await ServedDocumentAsync(app);
        var mapped = MappedEndpoints(app).Select(e => (e.Path, e.Method)).ToHashSet();

        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => (Path: p.Key, Method: m.Method))).ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, o => Assert.Contains(o, mapped));
        Assert.Equal(operations.Count, mapped.Count);
    }

    [Fact]
    public async Task The_functions_host_serves_the_same_bytes_as_the_kestrel_host()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        using var response = await client.GetAsync(FuncAuthRoutes.OpenApi);
        var kestrel = await response.Content.ReadAsByteArrayAsync();

        // What OpenApiFunctions.Document runs, in a container made as the Functions Program makes it (AddFuncAuth,
        // AddProblemDetails), with another environment and other settings than the Kestrel app's.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:Issuer"] = "https://functions.example",
            ["FuncAuth:Registration:Enabled"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production, ApplicationName = "FuncAuth.Functions" })
            .AddFuncAuth(configuration)
            .AddProblemDetails();
        await using var provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/" + FuncAuthRoutes.OpenApi;
        using var body = new MemoryStream();
        context.Response.Body = body;

        var result = await provider.GetRequiredService<EndpointRunner>().RunAsync(FuncAuthEndpointNames.OpenApi, context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(response.Content.Headers.ContentType?.ToString(), context.Response.ContentType);
        Assert.Equal(kestrel, body.ToArray());
    }

    [Fact]
    public async Task The_document_names_only_the_relative_server_and_is_the_same_on_every_request()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var first = await client.GetStringAsync(FuncAuthRoutes.OpenApi);
        var second = await client.GetStringAsync(FuncAuthRoutes.OpenApi);
        Assert.Equal(first, second);

        using var json = JsonDocument.Parse(first);
        // "/" only (the origin it is served from): an absolute server URL would differ between hosts.
        var server = Assert.Single(json.RootElement.GetProperty("servers").EnumerateArray());
        Assert.Equal("/", server.GetProperty("url").GetString());
        Assert.StartsWith("3.1.", json.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_errors_headers_and_the_bearer_scheme_are_described()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        var document = await ServedDocumentAsync(app);

        // Request bodies: JSON for register, JSON or a form for login, both the credentials schema.
        Assert.Equal(["application/json"], Operation(document, "/" + FuncAuthRoutes.Register, "POST")!.RequestBody!.Content!.Keys);
        var login = Operation(document, "/" + FuncAuthRoutes.Login, "POST")!.RequestBody!.Content!;
        Assert.Equal(["application/json", "application/x-www-form-urlencoded"], login.Keys);
        var credentials = Assert.IsType<OpenApiSchemaReference>(login["application/x-www-form-urlencoded"].Schema);
        Assert.Equal(["password", "username"], credentials.Required!.Order(StringComparer.Ordinal));

        // Every error is problem+json (or, for a page, an HTML page), except the OAuth endpoints' 400s and the token
        // endpoint's 401 (invalid_client): RFC 6749 §5.2 objects; every 401 says how to authenticate, every 503 when to come back.
        string[] oauth = ["/" + FuncAuthRoutes.Token, "/" + FuncAuthRoutes.Revoke];

        // ...and the authorization endpoint's 400, an HTML page for the browser: with an unknown client or redirect URI
        // there is nowhere safe to send the error.
        string[] htmlErrors = ["/" + FuncAuthRoutes.Authorize];
        foreach (var (path, method, operation) in Operations(document))
        {
            foreach (var (status, response) in operation.Responses!)
            {
                var code = int.Parse(status, CultureInfo.InvariantCulture);
                // A page a person opens (its 200 is HTML) shows its own errors as HTML pages too.
                var isPage = operation.Responses.TryGetValue("200", out var ok) && ok.Content?.ContainsKey("text/html") == true;
                if (code >= 400 && !(isPage && response.Content?.Keys.SequenceEqual(["text/html"]) == true))
                {
                    var oauthError = (code == 400 && oauth.Contains(path)) || (code is 401 or 403 && path == "/" + FuncAuthRoutes.Token);
                    var expected = oauthError ? "application/json" : code == 400 && htmlErrors.Contains(path) ? "text/html" : ProblemJson;
                    Assert.Equal([expected], response.Content!.Keys);
                }

                if (code == StatusCodes.Status401Unauthorized)
                {
                    Assert.True(response.Headers?.ContainsKey("WWW-Authenticate") == true, $"{method} {path} 401 without WWW-Authenticate");
                }

                if (code == StatusCodes.Status503ServiceUnavailable)
                {
                    Assert.True(response.Headers?.ContainsKey("Retry-After") == true, $"{method} {path} 503 without Retry-After");
                }
            }
        }

        // Two ways to get and send a token: the bearer header, and the OAuth 2.0 password flow at the token endpoint.
        var schemes = document.Components!.SecuritySchemes!;
        Assert.Equal(["Bearer", "OAuth2"], schemes.Keys.Order(StringComparer.Ordinal));
        var bearer = Assert.IsType<OpenApiSecurityScheme>(schemes["Bearer"]);
        Assert.Equal(SecuritySchemeType.Http, bearer.Type);
        Assert.Equal("bearer", bearer.Scheme);
        var oauth2 = Assert.IsType<OpenApiSecurityScheme>(schemes["OAuth2"]);
        Assert.Equal(SecuritySchemeType.OAuth2, oauth2.Type);
        Assert.Equal("/" + FuncAuthRoutes.Token, oauth2.Flows!.Password!.TokenUrl!.OriginalString);

        // ...on exactly the endpoints that take a token.
        // Every other one says it is anonymous with an explicit empty requirement list.
        Assert.All(Operations(document), o => Assert.NotNull(o.Operation.Security));
        var secured = Operations(document).Where(o => o.Operation.Security is { Count: > 0 }).Select(o => $"{o.Method} {o.Path}").Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                $"DELETE /{FuncAuthRoutes.AdminUser}", $"DELETE /{FuncAuthRoutes.AdminUserSessions}",
                $"DELETE /{FuncAuthRoutes.Account}", $"DELETE /{FuncAuthRoutes.Totp}", $"DELETE /{FuncAuthRoutes.Passkey}", $"DELETE /{FuncAuthRoutes.Session}",
                $"GET /{FuncAuthRoutes.AdminUsers}", $"GET /{FuncAuthRoutes.AdminUser}",
                $"GET /{FuncAuthRoutes.Account}", $"GET /{FuncAuthRoutes.Passkeys}", $"GET /{FuncAuthRoutes.Sessions}", $"GET /{FuncAuthRoutes.UserInfo}",
                $"GET /{FuncAuthRoutes.Verify}", $"PATCH /{FuncAuthRoutes.AdminUser}", $"POST /{FuncAuthRoutes.AdminUserImport}", $"POST /{FuncAuthRoutes.AdminUserUnlock}",
                $"POST /{FuncAuthRoutes.Email}", $"POST /{FuncAuthRoutes.Logout}", $"POST /{FuncAuthRoutes.Totp}",
                $"POST /{FuncAuthRoutes.TotpConfirmation}", $"POST /{FuncAuthRoutes.Passkeys}", $"POST /{FuncAuthRoutes.PasskeyRegistrationOptions}", $"POST /{FuncAuthRoutes.Password}",
                $"POST /{FuncAuthRoutes.UserInfo}", $"POST /{FuncAuthRoutes.Verify}",
            ],
            secured);
    }

    [Theory]
    [InlineData("Development", null, HttpStatusCode.OK)]
    [InlineData("Production", null, HttpStatusCode.NotFound)]
    [InlineData("Development", "false", HttpStatusCode.NotFound)]
    [InlineData("Production", "true", HttpStatusCode.OK)]
    public async Task The_docs_page_is_on_in_development_and_off_elsewhere_unless_configured(string environment, string? enabled, HttpStatusCode expected)
    {
        // The docs never need storage: outside Development it is https to nowhere, as that environment requires.
        var settings = environment == StartupFailure.Development ? [] : FuncAuthApp.UnreachableProductionStorage();
        settings["FuncAuth:Docs:Enabled"] = enabled;

        await using var app = new FuncAuthApp(storage.ConnectionString, settings, environment) { DeleteTablesOnDispose = environment == StartupFailure.Development };
        using var client = app.CreateClient();

        using var page = await client.GetAsync(ApiReference.Route + "/");
        Assert.Equal(expected, page.StatusCode);

        // The document itself is served in every environment.
        using var openApi = await client.GetAsync(FuncAuthRoutes.OpenApi);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            return;
        }

        // Everything the page loads comes from this app: no CDN, no web fonts; the only absolute URL is the app's own.
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var origin = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.All(Regex.Matches(html, "(?:[a-z][a-z0-9+.-]*:)?//[^\"'\\s<>]*", RegexOptions.IgnoreCase), url => Assert.Equal(origin, url.Value));
        Assert.Contains($"\"servers\":[{{\"url\":\"{origin}\"}}]", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"scalar.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"{FuncAuthRoutes.OpenApi}\"", html, StringComparison.Ordinal);
        using var script = await client.GetAsync(ApiReference.Route + "/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);

        // Without the trailing slash, the page sends the browser to it.
        using var noSlash = await client.GetAsync(ApiReference.Route);
        Assert.Equal(HttpStatusCode.OK, noSlash.StatusCode);
        Assert.Equal("/" + ApiReference.Route + "/", noSlash.RequestMessage?.RequestUri?.AbsolutePath);
    }

    private static async Task<OpenApiDocument> ServedDocumentAsync(FuncAuthApp app)
    {
        using var client = app.CreateClient();
        var (document, _) = OpenApiDocument.Parse(await client.GetStringAsync(FuncAuthRoutes.OpenApi), OpenApiConstants.Json);
        return document!;
    }

    /// <summary>Every route and method the Kestrel host maps, but the docs page (not part of the HTTP surface).</summary>
    private static List<(string Path, string Method, RouteEndpoint Endpoint)> MappedEndpoints(FuncAuthApp app) =>
    [
        .. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods))
            .Where(e => e.Methods is not null && !e.Path.StartsWith("/" + ApiReference.Route, StringComparison.Ordinal))
            .SelectMany(e => e.Methods!.Select(m => (e.Path, m, e.Endpoint))),
    ];

    private static OpenApiOperation? Operation(OpenApiDocument document, string path, string method) =>
        document.Paths.TryGetValue(path, out var item) && item.Operations!.TryGetValue(new HttpMethod(method), out var operation)
            ? operation
            : null;

    private static IEnumerable<(string Path, string Method, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (p.Key, o.Key.Method, o.Value)));

    /// <summary>
    /// The statuses the handler's typed results declare themselves, and the result types that declare none because
    /// theirs is only known when they are made (<c>ProblemHttpResult</c>, <c>JsonHttpResult&lt;T&gt;</c>,
    /// <c>StatusCodeHttpResult</c>, ...).
    /// </summary>
    private static (HashSet<int> Inferred, List<Type> Uninferable) ResultTypes(RouteEndpoint endpoint)
    {
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>()!;
        var type = handler.ReturnType;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        var members = type.IsGenericType && type.Namespace == "Microsoft.AspNetCore.Http.HttpResults" && type.Name.StartsWith("Results`", StringComparison.Ordinal)
            ? type.GetGenericArguments()
            : [type];
        var inferred = new HashSet<int>();
        var uninferable = new List<Type>();
        foreach (var member in members)
        {
            var builder = new RouteEndpointBuilder(null, RoutePatternFactory.Parse("/"), 0);
            if (member.IsAssignableTo(typeof(IEndpointMetadataProvider)))
            {
                typeof(OpenApiTests).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(member).Invoke(null, [handler, builder]);
            }

            var statuses = builder.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToList();
            if (statuses.Count == 0)
            {
                uninferable.Add(member);
            }

            inferred.UnionWith(statuses);
        }

        return (inferred, uninferable);
    }

    private static void Populate<TResult>(MethodInfo method, EndpointBuilder builder)
        where TResult : IEndpointMetadataProvider =>
        TResult.PopulateMetadata(method, builder);
}
