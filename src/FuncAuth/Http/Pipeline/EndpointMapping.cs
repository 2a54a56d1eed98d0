using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace FuncAuth.Http.Pipeline;

/// <summary>
/// The Kestrel side of a declaration: one route that hands the request to <see cref="EndpointRunner"/>, and the metadata
/// the OpenAPI document is generated from, derived from the same declaration (what it needs) and the handler's result
/// type (what it answers).
/// </summary>
internal static class EndpointMapping
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder routes, FuncAuthEndpoint endpoint)
    {
        // The runner comes from the root provider, once: a route handler with a service parameter would open (and
        // dispose) a DI scope on every request, which verify, the hot path, does not need.
        var services = routes.ServiceProvider;
        RunnableEndpoint? runnable = null;
        var builder = routes.MapMethods(endpoint.Route, endpoint.Methods, (HttpRequest request, CancellationToken ct) =>
            (runnable ??= services.GetRequiredService<EndpointRunner>().Find(endpoint.Name)).RunAsync(request, ct));

        builder.WithName(endpoint.Name).WithTags(endpoint.Tag).WithSummary(endpoint.Summary).WithDescription(endpoint.Description);
        builder.Add(endpoint.AddResultMetadata);
        if (endpoint.Body != BodyKind.None)
        {
            builder.WithMetadata(new RequestBodyMetadata(endpoint.BodySchema, MediaTypes(endpoint.Body)))
                .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
                .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        }

        foreach (var status in endpoint.Problems)
        {
            _ = status == StatusCodes.Status400BadRequest ? builder.ProducesValidationProblem() : builder.ProducesProblem(status);
        }

        if (endpoint.RequiresBearerToken || endpoint.RequiresAdmin)
        {
            builder.RequiresBearerToken();
            if (!endpoint.AcceptsServiceClients && !endpoint.Problems.Contains(StatusCodes.Status403Forbidden))
            {
                // A service client's token on a user's endpoint, or a caller who is not an administrator.
                builder.ProducesProblem(StatusCodes.Status403Forbidden);
            }

            if (!endpoint.AcceptsServiceClients)
            {
                builder.WithResponseHeader(
                    StatusCodes.Status403Forbidden,
                    HeaderNames.WWWAuthenticate,
                    "`Bearer error=\"insufficient_scope\", error_description=\"…\"` (RFC 6750 §3.1) when the token may not use this endpoint.");
            }
        }

        if (endpoint.Throttle != Throttle.None)
        {
            builder.ProducesThrottling();
        }

        if (endpoint.UsesStorage)
        {
            builder.ProducesStorageUnavailable();
        }

        endpoint.Describe?.Invoke(builder);
        return builder;
    }

    private static string[] MediaTypes(BodyKind kind) => kind switch
    {
        BodyKind.Json => [RequestBody.JsonMediaType],
        BodyKind.JsonOrForm => [RequestBody.JsonMediaType, RequestBody.FormMediaType],
        BodyKind.Form => [RequestBody.FormMediaType],
        BodyKind.NdJson => [RequestBody.NdJsonMediaType],
        _ => [RequestBody.FormMediaType, RequestBody.JsonMediaType],
    };
}

/// <summary>
/// The body an endpoint reads, for the document only. Not ASP.NET Core's <c>Accepts</c>: that one also makes routing
/// answer a bare 415 before the runner, on Kestrel only, where the runner's 415 says what to send on both hosts.
/// </summary>
internal sealed record RequestBodyMetadata(Type? Schema, IReadOnlyList<string> MediaTypes);
