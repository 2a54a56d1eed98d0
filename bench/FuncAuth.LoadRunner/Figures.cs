namespace FuncAuth.LoadRunner;

/// <summary>The medians of one target at one connection count, over its runs.</summary>
internal sealed record Figure(Target Target, int Connections, IReadOnlyList<Measurement> Runs)
{
    public double RequestsPerSecond => Stats.Median(Runs.Select(r => r.Result.RequestsPerSecond));

    /// <summary>A run that completed no request has no latency: it counts for throughput, not here.</summary>
    public double P50Milliseconds => Stats.Median(Runs.Where(r => r.Result.Requests > 0).Select(r => r.Result.P50 / 1000));

    public double P99Milliseconds => Stats.Median(Runs.Where(r => r.Result.Requests > 0).Select(r => r.Result.P99 / 1000));

    public long Errors => Runs.Sum(r => r.Result.Errors);

    public long Requests => Runs.Sum(r => r.Result.Requests);

    /// <summary>Storage requests per 1,000 requests served, in the worst run.</summary>
    public double WorstStoragePerThousand => Runs.Max(r => r.Result.Requests > 0 ? r.StorageRequests * 1000.0 / r.Result.Requests : 0);

    public double MedianStoragePerThousand => Stats.Median(Runs.Select(r => r.Result.Requests > 0 ? r.StorageRequests * 1000.0 / r.Result.Requests : 0));

    public double MedianStoragePerSecond => Stats.Median(Runs.Select(r => r.StorageRequests / r.StorageWindow.TotalSeconds));

    public long? PeakResidentBytes => Runs.Max(r => r.PeakResidentBytes);
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile (<paramref name="fraction"/> 0.9 for p90): a value that was measured.</summary>
    public static double Percentile(IEnumerable<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static IReadOnlyList<Figure> Figures(SuiteResults results) =>
        [.. results.Measurements
            .GroupBy(m => (m.Target, m.Connections))
            .Select(g => new Figure(g.Key.Target, g.Key.Connections, [.. g.OrderBy(m => m.Run)]))];
}
