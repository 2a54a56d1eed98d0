using FuncAuth.Http.Pipeline;
using FuncAuth.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary><c>health</c>: whether FuncAuth can reach its storage, for probes and load balancers.</summary>
internal sealed class HealthEndpoints(FuncAuthTables tables)
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.Health, FuncAuthRoutes.Health, "Health", (HealthEndpoints api, EndpointRequest _, CancellationToken ct) => api.HealthAsync(ct)) with
        {
            Summary = "Check storage",
            Description = "Answers 200 when Table Storage answers, and 503 when it does not, for probes and load balancers.",
        },
    ];

    /// <summary><c>GET api/health</c>: 200 when storage answers (a fault is the runner's 503).</summary>
    private async ValueTask<Ok<HealthStatus>> HealthAsync(CancellationToken cancellationToken)
    {
        await tables.ProbeAsync(cancellationToken);
        return TypedResults.Ok(new HealthStatus("Healthy"));
    }
}
