using System.Diagnostics;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncAuth.Storage;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Storage;

/// <summary>
/// <c>GET api/health</c> is public and unthrottled: it answers from a probe outcome cached for
/// <see cref="StorageHealth.Interval"/>, so a flood of requests costs at most one round of table reads per interval,
/// and an outage (or a recovery) still shows within one interval.
/// </summary>
public sealed class HealthCacheTests(StorageFixture storage)
{
    // One probe round reads each of the eight tables once.
    private const int RoundRequests = 8;

    [Fact]
    public async Task A_flood_of_health_requests_costs_one_probe_round_per_interval()
    {
        var storageCalls = new ProbeCounter();
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(storageCalls),
        };
        using var client = app.CreateClient();
        var elapsed = Stopwatch.StartNew();

        // 100 at once (they share the first round in flight), then 100 one after another.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await client.GetAsync("api/health");
            return response.StatusCode;
        }));
        Assert.All(concurrent, status => Assert.Equal(HttpStatusCode.OK, status));
        for (var i = 0; i < 100; i++)
        {
            using var response = await client.GetAsync("api/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        elapsed.Stop();
        var rounds = (double)storageCalls.Count / RoundRequests;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"200 health requests in {elapsed.Elapsed.TotalMilliseconds:F0} ms: {storageCalls.Count} probe reads = {rounds} rounds");
        Assert.True(storageCalls.Count >= RoundRequests, $"Only {storageCalls.Count} probe reads: health did not read storage.");
        Assert.InRange(storageCalls.Count, RoundRequests, RoundRequests * (1 + (int)(elapsed.Elapsed / StorageHealth.Interval)));
    }

    [Fact]
    public async Task An_outage_shows_within_one_interval_is_not_hammered_and_recovery_shows_too()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fault = new SwitchableOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Storage:MaxRetries"] = "0",
        })
        {
            Time = clock,
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(fault),
        };
        using var client = app.CreateClient();
        await AssertHealthy(client);

        // Storage goes away: the cached outcome stands until the interval is over, then the next request sees it.
        fault.Failing = true;
        await AssertHealthy(client);
        clock.Advance(StorageHealth.Interval);
        await Expect.UnavailableAsync(client.GetAsync("api/health"));

        // A failure is kept as well: more requests within the interval make no probe of the failing storage.
        var probesRefused = fault.ProbesRefused;
        Assert.True(probesRefused > 0);
        for (var i = 0; i < 20; i++)
        {
            await Expect.UnavailableAsync(client.GetAsync("api/health"));
        }

        Assert.Equal(probesRefused, fault.ProbesRefused);

        // Storage is back: the cached failure stands for its interval, then the next round sees storage answer.
        fault.Failing = false;
        await Expect.UnavailableAsync(client.GetAsync("api/health"));
        clock.Advance(StorageHealth.Interval);
        await AssertHealthy(client);
    }

    [Fact]
    public async Task Callers_share_the_round_in_flight_and_one_callers_cancellation_does_not_end_it()
    {
        var clock = new FakeTimeProvider();
        var probes = 0;
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken probeToken = default;
        var health = new StorageHealth(
            ct =>
            {
                Interlocked.Increment(ref probes);
                probeToken = ct;
                return answer.Task;
            },
            clock);

        using var hangsUp = new CancellationTokenSource();
        var first = health.CheckAsync(hangsUp.Token);
        var second = health.CheckAsync(CancellationToken.None);
        await hangsUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.False(second.IsCompleted);
        Assert.False(probeToken.CanBeCanceled);

        answer.SetResult();
        await second;
        await health.CheckAsync(CancellationToken.None);
        Assert.Equal(1, Volatile.Read(ref probes));

        // One interval after the round ended, a new one runs.
        clock.Advance(StorageHealth.Interval);
        await health.CheckAsync(CancellationToken.None);
        Assert.Equal(2, Volatile.Read(ref probes));
    }

    private static async Task AssertHealthy(HttpClient client)
    {
        using var response = await client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Counts the health probe's reads (the entity it reads is named "health"), not the app's other traffic.</summary>
    private sealed class ProbeCounter : InspectingPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override void Inspect(HttpMessage message)
        {
            if (message.Request.Uri.ToString().Contains("health", StringComparison.OrdinalIgnoreCase))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    /// <summary>While <see cref="Failing"/>, every storage call fails as a dropped connection would.</summary>
    private sealed class SwitchableOutage : InspectingPolicy
    {
        private volatile bool _failing;
        private int _refused;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        /// <summary>The health probe's reads refused (the app's other traffic is refused too, but not counted).</summary>
        public int ProbesRefused => Volatile.Read(ref _refused);

        protected override void Inspect(HttpMessage message)
        {
            if (_failing)
            {
                if (message.Request.Uri.ToString().Contains("health", StringComparison.OrdinalIgnoreCase))
                {
                    Interlocked.Increment(ref _refused);
                }

                throw new IOException("Simulated outage: the connection was dropped.");
            }
        }
    }
}
