using Microsoft.Extensions.Hosting;

namespace FuncAuth.Http;

/// <summary>
/// The interactive API docs of the Kestrel host: <c>FuncAuth:Docs</c>. The Functions host serves only the OpenAPI
/// document (at <see cref="FuncAuthRoutes.OpenApi"/>, in every environment) and reads no setting here.
/// </summary>
public sealed class DocsOptions
{
    public const string SectionName = "FuncAuth:Docs";

    /// <summary>Whether the docs page is served; unset means in Development only.</summary>
    public bool? Enabled { get; set; }

    public bool IsEnabledIn(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Enabled ?? environment.IsDevelopment();
    }
}
