using System.Diagnostics;
using System.Globalization;

namespace FuncAuth.LoadRunner;

/// <summary>One wrk run's figures, as bench/wrk/bench.lua prints them (times in microseconds).</summary>
internal sealed record WrkResult(
    long Requests,
    double DurationMicroseconds,
    long ConnectErrors,
    long ReadErrors,
    long WriteErrors,
    long StatusErrors,
    long Timeouts,
    double P50,
    double P90,
    double P99,
    double P999,
    double Max,
    double Mean)
{
    public double RequestsPerSecond => DurationMicroseconds > 0 ? Requests / (DurationMicroseconds / 1e6) : 0;

    /// <summary>Responses that were not 2xx/3xx, timeouts and socket errors: a run with any is flagged in the report.</summary>
    public long Errors => ConnectErrors + ReadErrors + WriteErrors + StatusErrors + Timeouts;
}

/// <summary>A request for wrk to repeat: what bench/wrk/bench.lua reads from its environment.</summary>
internal sealed record WrkRequest(string Url, string Method = "GET", string? Authorization = null, string? ContentType = null, string? Body = null);

/// <summary>wrk, the closed-loop HTTP load generator from the distribution's packages.</summary>
internal static class Wrk
{
    public static async Task<string> VersionAsync()
    {
        var (_, output) = await RunAsync(["-v"], new Dictionary<string, string?>());
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("wrk", StringComparison.Ordinal)) ?? "unknown";
        var copyright = line.IndexOf(" Copyright", StringComparison.Ordinal);
        return (copyright < 0 ? line : line[..copyright]).Trim();
    }

    /// <summary>Runs wrk with threads = min(connections, 2) and answers the script's result line.</summary>
    public static async Task<WrkResult> RunAsync(string script, WrkRequest request, int connections, TimeSpan duration, TimeSpan timeout)
    {
        var threads = Math.Min(connections, 2);
        string[] arguments =
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", Seconds(duration),
            "--timeout", Seconds(timeout),
            "-s", script,
            request.Url,
        ];
        var environment = new Dictionary<string, string?>
        {
            ["BENCH_METHOD"] = request.Method,
            ["BENCH_AUTHORIZATION"] = request.Authorization,
            ["BENCH_CONTENT_TYPE"] = request.ContentType,
            ["BENCH_BODY"] = request.Body,
        };
        var (exitCode, output) = await RunAsync(arguments, environment);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH-RESULT ", StringComparison.Ordinal));
        if (exitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk failed (exit {exitCode}) against {request.Url}:{Environment.NewLine}{output}");
        }

        var fields = line["BENCH-RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        return new WrkResult(
            (long)fields["requests"], fields["duration_us"], (long)fields["connect_errors"], (long)fields["read_errors"],
            (long)fields["write_errors"], (long)fields["status_errors"], (long)fields["timeouts"],
            fields["p50_us"], fields["p90_us"], fields["p99_us"], fields["p999_us"], fields["max_us"], fields["mean_us"]);
    }

    private static string Seconds(TimeSpan time) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(time.TotalSeconds))}s");

    private static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
