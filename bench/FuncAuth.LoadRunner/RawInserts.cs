using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace FuncAuth.LoadRunner;

/// <summary>
/// The storage ceiling of the import step: single-entity inserts (one partition each, a user row's size) straight into
/// Azurite with Azure.Data.Tables, a number of them in flight. An import of a user is two or three such inserts, so this
/// rate divided by that is the most users per second Azurite on this machine can take, whatever FuncAuth does.
/// </summary>
internal static class RawInserts
{
    public static async Task<double> MeasureAsync(string connectionString, int count, int inFlight)
    {
        var table = new TableClient(connectionString, "BenchRawInserts" + inFlight.ToString(CultureInfo.InvariantCulture));
        await table.CreateIfNotExistsAsync();
        var padding = new string('x', 200);

        // Warm the connections up first: the figure is the steady rate, not the first handshakes.
        await RunAsync(table, "warm", Math.Min(count, inFlight * 4), inFlight, padding);
        var elapsed = Stopwatch.StartNew();
        await RunAsync(table, "run", count, inFlight, padding);
        return count / elapsed.Elapsed.TotalSeconds;
    }

    private static Task RunAsync(TableClient table, string name, int count, int inFlight, string padding) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (i, ct) =>
            await table.AddEntityAsync(
                new TableEntity(string.Create(CultureInfo.InvariantCulture, $"{name}-{Guid.NewGuid():N}"), "account")
                {
                    ["Username"] = padding[..20],
                    ["PasswordHash"] = padding[..60],
                    ["Email"] = padding[..40],
                    ["SecurityStamp"] = padding[..32],
                },
                ct));
}
