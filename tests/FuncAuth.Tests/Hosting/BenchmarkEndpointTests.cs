using System.Net;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Hosting;

/// <summary>bench/run's ceiling, <c>GET bench/bare</c>, exists only when the benchmark setting turns it on.</summary>
public sealed class BenchmarkEndpointTests(StorageFixture storage)
{
    [Fact]
    public async Task The_bare_endpoint_is_not_mapped_by_default()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, FuncAuthApp.UnreachableProductionStorage(), environment: "Production")
        {
            DeleteTablesOnDispose = false,
        };
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("bench/bare", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_benchmark_setting_maps_a_bare_200()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Benchmark:BareEndpoint"] = "true" });
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("bench/bare", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
