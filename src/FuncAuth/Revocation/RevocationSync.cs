using FuncAuth.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// Keeps this instance's <see cref="RevocationCache"/> current from the <see cref="RevocationTable"/>: an incremental
/// read of the marks changed since the last one, every <see cref="RevocationOptions.SyncInterval"/> (the first at
/// start-up), with expired marks forgotten; and, for a check that finds the cache older than
/// <see cref="RevocationOptions.MaxStaleness"/>, one catch-up sync shared by every caller, waited for at most
/// <see cref="RevocationOptions.SyncWait"/> before failing closed. A paused or idle instance simply misses ticks; its
/// next check finds the cache stale and catches up first.
/// </summary>
internal sealed partial class RevocationSync : BackgroundService
{
    // Each change read starts this much before the service's time at the previous read began: a write in flight
    // then may carry a slightly older Timestamp, and the service's Date has whole seconds. Re-reading a mark is
    // harmless, and this bounds the re-reading to the last few seconds of writes, however many there were.
    private static readonly TimeSpan ChangeOverlap = TimeSpan.FromSeconds(5);

    private readonly RevocationTable _table;
    private readonly RevocationCache _cache;
    private readonly TimeProvider _time;
    private readonly RevocationOptions _options;
    private readonly ILogger<RevocationSync> _logger;
    private readonly Lock _gate = new();
    private Task? _sync;
    private DateTimeOffset? _readAsOf;
    private long _freshAsOfTicks;

    public RevocationSync(RevocationTable table, RevocationCache cache, IOptions<RevocationOptions> options, TimeProvider time, ILogger<RevocationSync> logger)
    {
        _table = table;
        _cache = cache;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>When the newest sync that succeeded began: the cache holds every revocation stored before then.</summary>
    public DateTimeOffset FreshAsOf => new(Interlocked.Read(ref _freshAsOfTicks), TimeSpan.Zero);

    /// <summary>Whether the cache may be trusted as it is (no older than the staleness bound).</summary>
    public bool IsFresh => _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _freshAsOfTicks) <= _options.MaxStaleness.Ticks;

    /// <summary>
    /// Brings a stale cache up to date before a check, or throws <see cref="StorageUnavailableException"/> (503): a
    /// check never trusts state older than the bound.
    /// </summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync().WaitAsync(_options.SyncWait, _time, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new StorageUnavailableException("The revocation list could not be brought up to date in time.", e);
        }

        // A sync that began before the bound (one that hung, say) does not make the cache fresh.
        if (!IsFresh)
        {
            throw new StorageUnavailableException("The revocation list is not up to date.");
        }
    }

    /// <summary>Brings the cache up to date: one sync at a time, joined by whoever asks while it runs.</summary>
    public Task SyncAsync()
    {
        lock (_gate)
        {
            if (_sync is not { IsCompleted: false })
            {
                _sync = Task.Run(SyncOnceAsync);
            }

            return _sync;
        }
    }

    /// <summary>Forgets marks no valid token can need any more; answers how many went.</summary>
    public int RemoveExpired() => _cache.RemoveExpired(_time.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SyncInterval, _time);
        var failing = false;
        do
        {
            try
            {
                await SyncAsync().WaitAsync(stoppingToken);
                RemoveExpired();
                if (failing)
                {
                    failing = false;
                    LogRecovered(_logger);
                }
            }
            catch (StorageUnavailableException e)
            {
                // Once per outage, not once per second; checks fail closed meanwhile.
                if (!failing)
                {
                    failing = true;
                    LogSyncFailing(_logger, e);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything else (a FormatException from a malformed storage response header did it): an exception out
                // of this loop would stop the host, and a loop that ended would leave every instance failing closed.
                // Logged (once per failing run, as above) and the loop goes on; checks fail closed meanwhile.
                if (!failing)
                {
                    failing = true;
                    LogSyncFailed(_logger, e);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One incremental read: the marks changed since the last read (all of them the first time) into the cache.</summary>
    private async Task SyncOnceAsync()
    {
        var started = _time.GetUtcNow();
        var since = _readAsOf - ChangeOverlap;
        var (marks, asOf) = await _table.ReadChangesAsync(since, CancellationToken.None);
        foreach (var mark in marks)
        {
            _cache.Add(mark);
        }

        if (asOf is { } readAsOf && (_readAsOf is null || readAsOf > _readAsOf))
        {
            _readAsOf = readAsOf;
        }

        // Only forward: a slow sync finishing after a newer one must not make the cache look older.
        var ticks = started.UtcTicks;
        long current;
        while (ticks > (current = Interlocked.Read(ref _freshAsOfTicks))
               && Interlocked.CompareExchange(ref _freshAsOfTicks, ticks, current) != current)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The revocation list cannot be read; verify answers 503 once what this instance knows is older than the staleness bound.")]
    private static partial void LogSyncFailing(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message =
        "The revocation sync failed unexpectedly; it goes on at the next interval, and verify answers 503 once what this instance knows is older than the staleness bound.")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The revocation list can be read again.")]
    private static partial void LogRecovered(ILogger logger);
}
