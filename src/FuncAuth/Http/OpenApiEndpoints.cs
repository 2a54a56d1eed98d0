using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace FuncAuth.Http;

/// <summary>
/// <c>api/openapi.json</c>: the OpenAPI document of every FuncAuth endpoint, the same bytes from both hosts
/// (see <see cref="FuncAuthOpenApi"/> for how it is made).
/// </summary>
public sealed class OpenApiEndpoints
{
    private readonly FuncAuthOpenApi _document;

    internal OpenApiEndpoints(FuncAuthOpenApi document) => _document = document;

    /// <summary><c>GET api/openapi.json</c>: the OpenAPI 3.1 document as JSON.</summary>
    public async Task<FileContentHttpResult> DocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = await _document.GetAsync(cancellationToken);
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(document, FuncAuthOpenApi.MediaType);
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(string.Empty).WithTags("OpenAPI")
            .MapGet(FuncAuthRoutes.OpenApi, (HttpRequest request, OpenApiEndpoints api, CancellationToken ct) => api.DocumentAsync(request, ct))
            .WithName("openapi")
            .WithSummary("This OpenAPI document")
            .WithDescription("The OpenAPI 3.1 description of every FuncAuth endpoint, generated from the endpoints' own metadata; " +
                "both hosts serve the same bytes, and its paths are relative to where it is served.")
            .Produces(StatusCodes.Status200OK, contentType: FuncAuthOpenApi.MediaType);
}
