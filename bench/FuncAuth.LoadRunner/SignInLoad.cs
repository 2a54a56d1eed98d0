using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>A sign-in step answered something other than what the way expects (its status and a little of its body).</summary>
internal sealed class SignInFailure(string message) : Exception(message);

/// <summary>
/// One way of signing in, as <see cref="SignInLoad"/> drives it: a short sequence of requests (its steps), each timed.
/// wrk cannot drive these: every sign-in needs something fresh from the one before it (an mfa token and a code for the
/// current time step, a challenge to sign), so the suite's own client does, closed-loop like wrk.
/// </summary>
internal abstract class SignInWay
{
    public abstract TargetKind Kind { get; }

    /// <summary>The requests of one sign-in, in order: what <see cref="SignInAsync"/> times into its array.</summary>
    public abstract IReadOnlyList<string> Steps { get; }

    /// <summary>Times a connection waited for a user it could sign in with (TOTP: none left for this time step).</summary>
    public virtual int Stalls => 0;

    /// <summary>
    /// One whole sign-in on <paramref name="client"/> as connection <paramref name="connection"/>; writes each step's
    /// milliseconds into <paramref name="stepMilliseconds"/>; throws <see cref="SignInFailure"/> on an unexpected answer.
    /// </summary>
    public abstract Task SignInAsync(HttpClient client, int connection, double[] stepMilliseconds, CancellationToken cancel);

    /// <summary>Resets <see cref="Stalls"/> before a measured run.</summary>
    public virtual void ResetStalls()
    {
    }

    /// <summary>A set-up request (bearer, JSON): answers the body, or throws naming the step when the status is not <paramref name="expected"/>.</summary>
    protected static async Task<string> SetUpStepAsync(HttpClient http, string url, string? json, string token, HttpStatusCode expected)
    {
        try
        {
            return await PostAsync(http, url, json, expected, [], -1, CancellationToken.None, token);
        }
        catch (SignInFailure e)
        {
            throw new InvalidOperationException($"Setting up a bench user: {e.Message}", e);
        }
    }

    protected static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>POSTs JSON (and a bearer token when given), times it to the whole answer read, and checks the status.</summary>
    protected static async Task<string> PostAsync(
        HttpClient client, string url, string? json, HttpStatusCode expected, double[] times, int step, CancellationToken cancel, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        if (step >= 0)
        {
            times[step] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return response.StatusCode == expected
            ? body
            : throw new SignInFailure($"POST {new Uri(url).AbsolutePath} answered {(int)response.StatusCode} (expected {(int)expected}): {(body.Length <= 300 ? body : body[..300] + "…")}");
    }
}

/// <summary>What <see cref="SignInLoad"/> measured in one run: the whole sign-ins as wrk's figures, and each step.</summary>
internal sealed record SignInRun(WrkResult Whole, IReadOnlyList<StepLatency> Steps, int Stalls, string? FirstError);

/// <summary>One step's latencies over a run, in milliseconds (nearest-rank percentiles of the completed sign-ins).</summary>
internal sealed record StepLatency(string Name, double P50, double P99);

/// <summary>
/// The closed-loop driver of the multi-request sign-ins: <c>connections</c> workers, each starting its next sign-in
/// when the last one is answered, over one HTTP connection each, for the run's duration. Like wrk, it counts the
/// sign-ins completed within the duration and drops those in flight at its end; latencies are not corrected for
/// coordinated omission.
/// </summary>
internal static class SignInLoad
{
    public static async Task<SignInRun> RunAsync(SignInWay way, string url, int connections, TimeSpan duration, TimeSpan timeout)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(1),
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = timeout };
        using var end = new CancellationTokenSource(duration);
        way.ResetStalls();

        var completed = new ConcurrentBag<double[]>();
        long failures = 0, networkErrors = 0, timeouts = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(connection => Task.Run(async () =>
        {
            while (!end.IsCancellationRequested)
            {
                // The steps' times, then the whole sign-in's in the last slot.
                var times = new double[way.Steps.Count + 1];
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await way.SignInAsync(client, connection, times, end.Token);
                    times[^1] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!end.IsCancellationRequested)
                    {
                        completed.Add(times);
                    }
                }
                catch (OperationCanceledException) when (end.IsCancellationRequested)
                {
                    // In flight when the run ended: not counted, as wrk does not count it.
                }
                catch (TaskCanceledException)
                {
                    Interlocked.Increment(ref timeouts);
                }
                catch (HttpRequestException e)
                {
                    Interlocked.Increment(ref networkErrors);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
                catch (SignInFailure e)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Math.Min(clock.Elapsed.TotalMicroseconds, duration.TotalMicroseconds);

        var samples = completed.ToArray();
        var whole = samples.Select(t => t[^1] * 1000).ToArray();
        var result = new WrkResult(
            samples.Length, elapsed, ConnectErrors: 0, ReadErrors: networkErrors, WriteErrors: 0, StatusErrors: failures, Timeouts: timeouts,
            P50: Percentile(whole, 0.50), P90: Percentile(whole, 0.90), P99: Percentile(whole, 0.99), P999: Percentile(whole, 0.999),
            Max: whole.Length == 0 ? 0 : whole.Max(), Mean: whole.Length == 0 ? 0 : whole.Average());
        var steps = way.Steps.Select((name, i) => new StepLatency(
            name, Stats.Percentile(samples.Select(t => t[i]), 0.50), Stats.Percentile(samples.Select(t => t[i]), 0.99))).ToArray();
        return new SignInRun(result, steps, way.Stalls, firstError);
    }

    private static double Percentile(double[] values, double fraction) => values.Length == 0 ? 0 : Stats.Percentile(values, fraction);
}
