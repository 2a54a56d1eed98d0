using FuncAuth.Http;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace FuncAuth.Server;

/// <summary>
/// Interactive docs (Scalar) for the OpenAPI document at <see cref="FuncAuthRoutes.OpenApi"/>: on in Development,
/// elsewhere only when <c>FuncAuth:Docs:Enabled</c> is true. Scalar's script is served from its package, and
/// nothing the page loads comes from elsewhere: no web fonts, telemetry, AI agent or proxy.
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

        app.MapScalarApiReference(Route, options => options
            .WithTitle("FuncAuth")
            .WithOpenApiRoutePattern("/" + FuncAuthRoutes.OpenApi)
            .WithDynamicBaseServerUrl() // the document names no server: requests go to where the page is served
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp());
    }
}
