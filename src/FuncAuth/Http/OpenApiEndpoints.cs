using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary>
/// <c>api/openapi.json</c>: the OpenAPI document of every FuncAuth endpoint, the same bytes from both hosts
/// (see <see cref="FuncAuthOpenApi"/> for how it is made).
/// </summary>
internal sealed class OpenApiEndpoints(FuncAuthOpenApi document)
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.OpenApi, FuncAuthRoutes.OpenApi, "OpenAPI", (OpenApiEndpoints api, EndpointRequest request, CancellationToken ct) => api.DocumentAsync(request, ct)) with
        {
            Summary = "This OpenAPI document",
            Description = "The OpenAPI 3.1 description of every FuncAuth endpoint, generated from the endpoints' own metadata; " +
                "both hosts serve the same bytes, and its paths are relative to where it is served.",
            Cacheable = true,
            UsesStorage = false,
            Describe = builder => builder.Produces(StatusCodes.Status200OK, contentType: FuncAuthOpenApi.MediaType),
        },
    ];

    /// <summary><c>GET api/openapi.json</c>: the OpenAPI 3.1 document as JSON.</summary>
    private async ValueTask<FileContentHttpResult> DocumentAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var bytes = await document.GetAsync(cancellationToken);
        request.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(bytes, FuncAuthOpenApi.MediaType);
    }
}
