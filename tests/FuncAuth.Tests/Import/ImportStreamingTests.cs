using System.Net;
using System.Text;
using FuncAuth.Tests.Support;
using static FuncAuth.Tests.Import.ImportApi;

namespace FuncAuth.Tests.Import;

/// <summary>Runs alone: it measures the process's live memory, which other tests running beside it would disturb.</summary>
[CollectionDefinition(nameof(ImportStreamingTests), DisableParallelization = true)]
public sealed class ImportStreamingRunsAlone;

/// <summary>
/// A file larger than Kestrel's default 30 MB request limit, posted to the real Kestrel host and generated as it is sent:
/// every line is answered, in order, while the live memory of the process stays far below the file's size, which a
/// server holding the body (or the answer) would not do.
/// </summary>
[Collection(nameof(ImportStreamingTests))]
public sealed class ImportStreamingTests(StorageFixture storage, ITestOutputHelper output)
{
    private const int Lines = 48_000;

    /// <summary>Every 24th line is a user (2,000 in all); the others are refused lines of about 1 KiB.</summary>
    private const int UserEvery = 24;

    private const int CheckpointEvery = 6_000;

    [Fact]
    public async Task A_48_MB_file_is_streamed_through_Kestrel_with_memory_flat_and_every_line_answered_in_order()
    {
        var port = FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort();
        await using var app = new FuncAuthApp(storage.ConnectionString);
        app.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        app.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(3) };
        var admin = await AdminTokenAsync(app, client);
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var content = new GeneratedLines(prefix);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(NdJson);
        using var response = await PostAsync(client, admin, content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        long answered = 0, created = 0;
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)))
        {
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                using var result = System.Text.Json.JsonDocument.Parse(line);
                Assert.Equal(++answered, result.RootElement.GetProperty("line").GetInt64());
                var expected = answered % UserEvery == 0 ? "created" : "refused";
                Assert.Equal(expected, ResultOf(result.RootElement));
                created += expected == "created" ? 1 : 0;
            }
        }

        var growth = content.PeakLiveBytes - baseline;
        output.WriteLine($"{content.BytesSent / 1_000_000.0:F1} MB sent in {Lines} lines; {created} users created; live memory at checkpoints: " +
            $"{string.Join(", ", content.Checkpoints.Select(b => $"{(b - baseline) / 1_000_000.0:+0.0;-0.0} MB"))} over a baseline of {baseline / 1_000_000.0:F1} MB");
        Assert.Equal(Lines, answered);
        Assert.Equal(Lines / UserEvery, created);
        Assert.True(content.BytesSent > 40_000_000, $"Only {content.BytesSent} bytes were sent.");

        // A body held whole (or an answer held until the end) would keep most of the 48 MB live by the last checkpoint.
        Assert.True(growth < 16_000_000, $"Live memory grew by {growth / 1_000_000.0:F1} MB while a {content.BytesSent / 1_000_000.0:F1} MB file was imported.");
        Assert.NotNull(await UserRowAsync(app, $"{prefix}-{UserEvery}"));
    }

    /// <summary>The file, made line by line as the request is sent, measuring the live heap every <see cref="CheckpointEvery"/> lines.</summary>
    private sealed class GeneratedLines(string prefix) : HttpContent
    {
        private static readonly string Padding = new('p', 1000);

        public List<long> Checkpoints { get; } = [];

        public long PeakLiveBytes => Checkpoints.Count == 0 ? 0 : Checkpoints.Max();

        public long BytesSent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new StringBuilder();
            for (var line = 1; line <= Lines; line++)
            {
                chunk.Append(line % UserEvery == 0
                    ? $"{{\"username\":\"{prefix}-{line}\"}}\n"
                    : $"{{\"username\":\"{prefix}-{line}\",\"padding\":\"{Padding}\"}}\n");
                if (chunk.Length > 64 * 1024 || line == Lines)
                {
                    var bytes = Encoding.UTF8.GetBytes(chunk.ToString());
                    await stream.WriteAsync(bytes);
                    BytesSent += bytes.Length;
                    chunk.Clear();
                }

                if (line % CheckpointEvery == 0)
                {
                    await stream.FlushAsync();
                    Checkpoints.Add(GC.GetTotalMemory(forceFullCollection: true));
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
