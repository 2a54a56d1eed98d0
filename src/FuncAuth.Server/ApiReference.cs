using FuncAuth.Http;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace FuncAuth.Server;

/// <summary>
/// Interactive docs (Scalar) for the OpenAPI document at <see cref="FuncAuthRoutes.OpenApi"/>: on in Development,
/// elsewhere only when <c>FuncAuth:Docs:Enabled</c> is true. Scalar's script is served from its package, and
/// nothing the page loads comes from elsewhere: no web fonts, telemetry, AI agent, proxy or developer toolbar.
/// </summary>
internal static class ApiReference
{
    public const string Route = "docs";

    public static void MapApiReferenceIfEnabled(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DocsOptions>>().Value.IsEnabledIn(app.Environment))
        {
            return;
        }

        // The document names no server (it is the same bytes wherever it is served); the page names the one it came from.
        app.MapScalarApiReference(Route, (options, context) => options
            .WithTitle("FuncAuth")
            .WithOpenApiRoutePattern("/" + FuncAuthRoutes.OpenApi)
            .AddServer($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools());
    }
}
