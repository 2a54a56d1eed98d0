using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>
/// The repository's own Azurite (Table service only, in memory, loopback), started with <c>--debug FILE</c>:
/// it writes exactly one line containing <see cref="RequestMarker"/> per storage request it receives, which is
/// how the suite counts FuncAuth's storage requests without changing FuncAuth.
/// </summary>
internal sealed class Azurite : IAsyncDisposable
{
    public const string RequestMarker = "TableStorageContextMiddleware: RequestMethod=";

    // Azurite's well-known development account: public, documented, and accepted only by the emulator.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    // The debug log holds many lines per request; once counted it is emptied when larger than this. Azurite
    // appends (O_APPEND), so its next line lands at the new end of the file.
    private const long TruncateAbove = 64L * 1024 * 1024;

    private static readonly byte[] MarkerBytes = Encoding.UTF8.GetBytes(RequestMarker);

    private readonly ChildProcess _process;
    private readonly string _debugLog;
    private long _counted;

    private Azurite(ChildProcess process, int port, string debugLog, string version)
    {
        _process = process;
        Port = port;
        _debugLog = debugLog;
        Version = version;
    }

    public int Port { get; }

    public string Version { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};" +
        $"TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static string ReadVersion(string repositoryRoot)
    {
        var manifest = Path.Combine(repositoryRoot, "node_modules", "azurite", "package.json");
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.GetProperty("version").GetString() ?? "unknown";
    }

    public static async Task<Azurite> StartAsync(string repositoryRoot, string workFolder)
    {
        var entryPoint = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "table", "main.js");
        if (!File.Exists(entryPoint))
        {
            throw new InvalidOperationException($"Azurite is not installed ({entryPoint} is missing): run 'npm ci' in {repositoryRoot}.");
        }

        var port = Ports.Free();
        var debugLog = Path.Combine(workFolder, "azurite-debug.log");
        var process = ChildProcess.Start("Azurite", "node",
            [entryPoint, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--debug", debugLog],
            workFolder);
        var azurite = new Azurite(process, port, debugLog, ReadVersion(repositoryRoot));
        var deadline = Stopwatch.StartNew();
        while (!await Ports.AnswersAsync(port))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                var tail = process.Tail();
                await azurite.DisposeAsync();
                throw new InvalidOperationException($"Azurite did not start on 127.0.0.1:{port}:{Environment.NewLine}{tail}");
            }

            await Task.Delay(100);
        }

        return azurite;
    }

    /// <summary>
    /// The storage requests Azurite received since the last call: waits until its (asynchronously written)
    /// debug log has stopped growing, then counts the new request lines.
    /// </summary>
    public async Task<long> TakeRequestCountAsync()
    {
        long length = -1;
        var settled = Stopwatch.StartNew();
        while (settled.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(300);
            var now = new FileInfo(_debugLog).Length;
            if (now == length)
            {
                break;
            }

            length = now;
        }

        long count;
        await using (var log = new FileStream(_debugLog, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            if (log.Length < _counted)
            {
                _counted = 0;
            }

            log.Position = _counted;
            count = await CountMarkersAsync(log);
            _counted = log.Position;
            if (_counted > TruncateAbove)
            {
                log.SetLength(0);
                _counted = 0;
            }
        }

        return count;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>Occurrences of the marker from the stream's position to its end (lines are far longer than the marker).</summary>
    private static async Task<long> CountMarkersAsync(Stream stream)
    {
        var buffer = new byte[1 << 20];
        var carry = 0;
        long count = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(carry))) > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            int at;
            while ((at = span.IndexOf(MarkerBytes)) >= 0)
            {
                count++;
                span = span[(at + MarkerBytes.Length)..];
            }

            // Keep a marker's worth of tail: one may straddle two reads.
            carry = Math.Min(span.Length, MarkerBytes.Length - 1);
            span[^carry..].CopyTo(buffer);
        }

        return count;
    }
}

/// <summary>Loopback ports for the processes the suite starts.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
