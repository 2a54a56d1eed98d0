using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FuncAuth.LoadRunner;

/// <summary>
/// The timing steps' client: one kept-alive connection (at most one per server, Nagle off, never recycled) that counts
/// how often it had to connect, so a step can tell whether one connection carried every timed request.
/// </summary>
internal sealed class TimingClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private int _connects;

    public TimingClient()
    {
        _handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref _connects);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        Http = new HttpClient(_handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    /// <summary>Connections opened so far.</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>Opens the connection (a health check, its answer read whole), so the first timed request does not pay for it.</summary>
    public async Task WarmUpAsync(string url)
    {
        using var health = await Http.GetAsync(new Uri($"{url}/api/health"));
        _ = await health.Content.ReadAsByteArrayAsync();
    }

    /// <summary>
    /// Sends <paramref name="request"/> (built beforehand) and reads the whole answer, timed from sending to the last
    /// byte read.
    /// </summary>
    public async Task<TimedAnswer> SendAsync(HttpRequestMessage request)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new TimedAnswer(response.StatusCode, body, HeadersOf(response), elapsed.TotalMilliseconds);
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    /// <summary>The answer's headers (content headers included), one "name: value" line each, sorted, without Date (which changes every second).</summary>
    private static string HeadersOf(HttpResponseMessage response) =>
        string.Join('\n', response.Headers.Concat(response.Content.Headers)
            .Where(h => !string.Equals(h.Key, "Date", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal));
}

/// <summary>One timed answer: its status, body, headers (as <see cref="TimingClient"/> lists them) and time.</summary>
internal sealed record TimedAnswer(HttpStatusCode Status, string Body, string Headers, double Milliseconds);
