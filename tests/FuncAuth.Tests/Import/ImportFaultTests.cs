using System.Net;
using Azure.Core;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static FuncAuth.Tests.Import.ImportApi;

namespace FuncAuth.Tests.Import;

/// <summary>A storage fault during an import: a 503 before anything was answered, a last "stopped" line after; sending the file again finishes it.</summary>
public sealed class ImportFaultTests(StorageFixture storage)
{
    [Fact]
    public async Task A_fault_mid_stream_ends_the_answer_with_the_line_it_stopped_at_and_the_file_sent_again_completes_it()
    {
        var outage = new UsersOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Storage:MaxRetries"] = "0" })
        {
            TestServices = services => services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(outage),
        };
        outage.Table = app.Setting("FuncAuth:Storage:UsersTableName");
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var names = Enumerable.Range(0, 200).Select(_ => AuthClient.NewUsername()).ToArray();
        var lines = names.Select(username => Line(new { username })).ToArray();

        outage.FailAfterInserts(40);
        var first = await ImportAsync(client, admin, lines);

        var stop = first[^1];
        Assert.Equal("stopped", ResultOf(stop));
        Assert.Contains("send the file again", ErrorOf(stop), StringComparison.OrdinalIgnoreCase);
        var stoppedAt = stop.GetProperty("line").GetInt64();
        Assert.InRange(stoppedAt, 2, 200);
        Assert.Equal(Enumerable.Range(1, (int)stoppedAt - 1).Select(i => (long)i), first[..^1].Select(r => r.GetProperty("line").GetInt64()));
        Assert.All(first[..^1], r => Assert.Equal("created", ResultOf(r)));

        outage.Stop();
        var second = await ImportAsync(client, admin, lines);
        Assert.Equal(200, second.Count);
        Assert.All(second.Take((int)stoppedAt - 1), r => Assert.Equal("exists", ResultOf(r)));
        Assert.All(second, r => Assert.Contains(ResultOf(r), new[] { "created", "exists" }));
        foreach (var username in names)
        {
            Assert.NotNull(await UserRowAsync(app, username));
        }
    }

    [Fact]
    public async Task A_fault_before_the_first_answer_line_is_an_ordinary_503()
    {
        var outage = new UsersOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Storage:MaxRetries"] = "0" })
        {
            TestServices = services => services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(outage),
        };
        outage.Table = app.Setting("FuncAuth:Storage:UsersTableName");
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);

        outage.FailAfterInserts(0);
        using var response = await PostAsync(client, admin, Body(Line(new { username = AuthClient.NewUsername() }) + "\n"));

        Expect.Unavailable(response);
    }

    /// <summary>Once armed, lets <c>n</c> more inserts into the Users table through, then fails every request to it as a dropped connection.</summary>
    private sealed class UsersOutage : InspectingPolicy
    {
        private int _insertsLeft = int.MaxValue;
        private volatile bool _armed;

        public string Table { get; set; } = "";

        public void FailAfterInserts(int inserts)
        {
            _insertsLeft = inserts;
            _armed = true;
        }

        public void Stop() => _armed = false;

        protected override void Inspect(HttpMessage message)
        {
            if (!_armed || !message.Request.Uri.ToString().Contains("/" + Table, StringComparison.Ordinal))
            {
                return;
            }

            if (message.Request.Method == RequestMethod.Post && Interlocked.Decrement(ref _insertsLeft) >= 0)
            {
                return;
            }

            if (Volatile.Read(ref _insertsLeft) < 0)
            {
                throw new IOException("Simulated outage: the connection was dropped.");
            }
        }
    }
}
