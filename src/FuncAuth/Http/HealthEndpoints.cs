using FuncAuth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary><c>health</c>: whether FuncAuth can reach its storage, for probes and load balancers.</summary>
public sealed class HealthEndpoints
{
    private readonly FuncAuthTables _tables;
    private readonly ILogger<HealthEndpoints> _logger;

    internal HealthEndpoints(FuncAuthTables tables, ILogger<HealthEndpoints> logger)
    {
        _tables = tables;
        _logger = logger;
    }

    /// <summary><c>GET api/health</c>: 200 when storage answers, 503 when it does not.</summary>
    public async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> HealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ResponseHeaders.NoStore(request.HttpContext.Response);
        try
        {
            await _tables.Health.CheckAsync(cancellationToken);
            return TypedResults.Ok(new HealthStatus("Healthy"));
        }
        catch (StorageUnavailableException e)
        {
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup(string.Empty).WithTags("Health")
            .MapGet(FuncAuthRoutes.Health, (HttpRequest request, HealthEndpoints api, CancellationToken ct) => api.HealthAsync(request, ct))
            .WithName("health")
            .WithSummary("Check storage")
            .WithDescription("Answers 200 when Table Storage answers, and 503 when it does not, for probes and load balancers.")
            .ProducesStorageUnavailable();
}
