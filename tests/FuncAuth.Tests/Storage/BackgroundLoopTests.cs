using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncAuth.Revocation;
using FuncAuth.Storage;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Storage;

/// <summary>
/// The background loops (the revocation sync, the purges) never stop the host nor themselves: an exception of a type
/// no one expected is logged and the loop runs again at its next interval.
/// </summary>
public sealed class BackgroundLoopTests(StorageFixture storage)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_sync_that_throws_an_unexpected_exception_is_logged_and_the_sync_goes_on()
    {
        var fault = new ThrowOnce(message =>
            message.Request.Method == RequestMethod.Get && message.Request.Uri.ToString().Contains("Timestamp", StringComparison.Ordinal),
            () => new FormatException("Simulated: a malformed Date header in a storage response."));
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Revocation:SyncInterval"] = "00:00:00.2",
            ["FuncAuth:Revocation:MaxStaleness"] = "00:00:01",
        })
        {
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(fault),
        };
        using var client = app.CreateClient();
        var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());

        // The sync's change read (the second sync onwards) throws once.
        await fault.Thrown.WaitAsync(Patience);
        var thrownAt = DateTimeOffset.UtcNow;

        // The host is still up, and the loop ran again: the state is fresh as of a sync begun after the failure.
        var revocations = app.Services.GetRequiredService<RevocationSync>();
        await EventuallyAsync(() => revocations.FreshAsOf > thrownAt && fault.SeenAfterThrow >= 2);
        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(app.Logs.Lines, l => l.Contains("The revocation sync failed unexpectedly", StringComparison.Ordinal)
            && l.Contains(nameof(FormatException), StringComparison.Ordinal));
        Assert.Contains(app.Logs.Lines, l => l.Contains("The revocation list can be read again", StringComparison.Ordinal));
        using var verified = await client.VerifyAsync(token);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Fact]
    public async Task A_purge_that_throws_an_unexpected_exception_is_logged_and_a_later_purge_runs()
    {
        // The sessions purge's query (on the sessions table, with a filter) throws once; nothing else queries that table here.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        FuncAuthApp? appRef = null;
        var fault = new ThrowOnce(
            message => message.Request.Method == RequestMethod.Get
                && appRef is not null
                && message.Request.Uri.Path.Contains(appRef.Setting("FuncAuth:Storage:SessionsTableName") + "()", StringComparison.Ordinal),
            () => new FormatException("Simulated: a malformed header in a storage response."));
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            Time = clock,
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(fault),
        };
        appRef = app;
        using var client = app.CreateClient();

        await fault.Thrown.WaitAsync(Patience);
        clock.Advance(TimeSpan.FromHours(1)); // the sessions purge's default interval
        await EventuallyAsync(() => fault.SeenAfterThrow >= 1);
        Assert.False(app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Could not purge expired sessions", StringComparison.Ordinal)
            && l.Contains(nameof(FormatException), StringComparison.Ordinal));
        using var health = await client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(OperationCanceledException))] // a cancellation that is not the app stopping: a timeout, say
    [InlineData(typeof(InvalidOperationException))]
    public async Task A_purge_loop_outlives_any_exception_but_the_app_stopping(Type exceptionType)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var purge = new FlakyPurge(clock, (Exception)Activator.CreateInstance(exceptionType, "Simulated.")!);
        using var stopping = new CancellationTokenSource();
        await purge.StartAsync(stopping.Token);
        await purge.Rounds.Reader.ReadAsync().AsTask().WaitAsync(Patience); // the first round threw

        clock.Advance(FlakyPurge.Interval);
        await purge.Rounds.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.False(purge.ExecuteTask!.IsCompleted, "The loop ended after one round's exception.");

        await purge.StopAsync(CancellationToken.None);
        Assert.True(purge.ExecuteTask.IsCompleted);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The loop did not run again.");
            await Task.Delay(50);
        }
    }

    /// <summary>A purge whose first round throws the given exception; every round is reported on <see cref="Rounds"/>.</summary>
    private sealed class FlakyPurge(TimeProvider time, Exception first)
        : PeriodicPurge(Interval, runAtStart: true, time, NullLogger.Instance)
    {
        public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

        private int _round;

        public System.Threading.Channels.Channel<int> Rounds { get; } = System.Threading.Channels.Channel.CreateUnbounded<int>();

        protected override string What => "test rows";

        protected override Task<int> PurgeAsync(CancellationToken cancellationToken)
        {
            var round = Interlocked.Increment(ref _round);
            Rounds.Writer.TryWrite(round);
            return round == 1 ? Task.FromException<int>(first) : Task.FromResult(0);
        }
    }

    /// <summary>Throws the first time a request matches, then counts the matching requests that follow.</summary>
    private sealed class ThrowOnce(Func<HttpMessage, bool> matches, Func<Exception> exception) : InspectingPolicy
    {
        private readonly TaskCompletionSource _thrown = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public Task Thrown => _thrown.Task;

        public int SeenAfterThrow => Math.Max(0, Volatile.Read(ref _seen) - 1);

        protected override void Inspect(HttpMessage message)
        {
            if (matches(message) && Interlocked.Increment(ref _seen) == 1)
            {
                _thrown.SetResult();
                throw exception();
            }
        }
    }
}
