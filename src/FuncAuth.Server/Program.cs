using FuncAuth.Server;
using FuncAuth.Server.LocalStorage;

var builder = WebApplication.CreateBuilder(args);

// Same address as 'func start', so clients and the README work against either host.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://localhost:7071");
}

await using var azurite = await DevelopmentStorage.StartIfNeededAsync(builder);

builder.Services.AddFuncAuth(builder.Configuration);
builder.Services.AddFuncAuthSetting(BareEndpointSetting);
builder.Services.AddProblemDetails();

// A failed start is reported below in one line; the host's own report of it (the exception and its stack) is not.
var startup = new StartupReport();
startup.FilterHostLogs(builder.Logging);

await using var app = builder.Build();
if (azurite is not null)
{
    app.Logger.LogInformation(
        "No storage configured: started Azurite (Table service) on 127.0.0.1:{Port}; it stops when this app does.", azurite.Port);
}

// Anything unexpected, and any route, method or media type FuncAuth does not serve, is answered as problem+json
// too, whatever the request's Accept says (as the handlers' own problems are): one error format for clients.
app.UseExceptionHandler();
app.UseStatusCodePages(context => TypedResults.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
app.MapFuncAuth();
app.MapApiReferenceIfEnabled();

// bench/run only: a route that answers 200 through this very host, middleware and routing table, so the
// benchmark can state the ceiling of this HTTP stack next to verify's figures. Off unless configured.
if (app.Configuration.GetValue<bool>(BareEndpointSetting))
{
    app.MapGet("bench/bare", () => Results.Ok());
}

if (await startup.StartAsync(app) is { } failure)
{
    await Console.Error.WriteLineAsync(failure);
    return 1;
}

await app.WaitForShutdownAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program
{
    private const string BareEndpointSetting = "FuncAuth:Benchmark:BareEndpoint";
}
