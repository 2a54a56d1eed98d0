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
            Description = "Answers 200 when Table Storage answers, and 503 with Retry-After when it does not, for probes and load " +
                "balancers. The answer is at most 5 seconds old: one round of storage checks per interval and instance, whatever the request rate.",
        },
    ];

    /// <summary><c>GET api/health</c>: 200 when storage answered its last probe, at most a few seconds old (a fault is the runner's 503).</summary>
    private async ValueTask<Ok<HealthStatus>> HealthAsync(CancellationToken cancellationToken)
    {
        await tables.Health.CheckAsync(cancellationToken);
        return TypedResults.Ok(new HealthStatus("Healthy"));
    }
}
