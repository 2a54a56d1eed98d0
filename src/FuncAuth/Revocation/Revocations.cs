using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

/// <summary>
/// What <c>verify</c> asks and <c>logout</c> tells: revocation checked against the in-memory
/// <see cref="RevocationState"/>, kept current from Table Storage by incremental syncs. A revocation made here is
/// in the state at once; one made on another instance arrives with the next sync. A check never trusts state
/// older than <see cref="RevocationOptions.MaxStaleness"/>: it first waits (at most
/// <see cref="RevocationOptions.SyncWait"/>) for one sync shared by every caller, and when storage cannot be
/// reached it fails closed with <see cref="StorageUnavailableException"/> (503).
/// </summary>
internal sealed class Revocations
{
    // Each change read starts this much before the service's time at the previous read began: a write in flight
    // then may carry a slightly older Timestamp, and the service's Date has whole seconds. Re-reading a mark is
    // harmless, and this bounds the re-reading to the last few seconds of writes, however many there were.
    private static readonly TimeSpan ChangeOverlap = TimeSpan.FromSeconds(5);

    private readonly RevocationList _list;
    private readonly RevocationState _state;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxStaleness;
    private readonly TimeSpan _syncWait;
    private readonly Lock _gate = new();
    private Task? _sync;
    private DateTimeOffset? _readAsOf;
    private long _freshAsOfTicks;

    public Revocations(RevocationList list, RevocationState state, IOptions<RevocationOptions> options, TimeProvider time)
    {
        _list = list;
        _state = state;
        _time = time;
        _maxStaleness = options.Value.MaxStaleness;
        _syncWait = options.Value.SyncWait;
    }

    /// <summary>When the newest sync that succeeded began: the state holds every revocation stored before then.</summary>
    public DateTimeOffset FreshAsOf => new(Interlocked.Read(ref _freshAsOfTicks), TimeSpan.Zero);

    public ValueTask<bool> IsRevokedAsync(AccessToken token, CancellationToken cancellationToken) =>
        IsFresh()
            ? ValueTask.FromResult(_state.IsRevoked(token))
            : CatchUpThenCheckAsync(token, cancellationToken);

    /// <summary>Whether a session has ended (see <see cref="RevocationState.IsSessionEnded"/>), by state no older than the bound.</summary>
    public async ValueTask<bool> IsSessionEndedAsync(string userId, string sessionId, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        if (!IsFresh())
        {
            await CatchUpAsync(cancellationToken);
        }

        return _state.IsSessionEnded(userId, sessionId, createdAt);
    }

    /// <summary>Revokes the token in storage, then in this instance's state at once.</summary>
    public async Task RevokeAsync(AccessToken token, CancellationToken cancellationToken) =>
        _state.Add(await _list.RevokeAsync(token, cancellationToken));

    /// <summary>Ends the session's access tokens in storage, then in this instance's state at once.</summary>
    public async Task EndSessionAsync(string userId, string sessionId, CancellationToken cancellationToken) =>
        _state.Add(await _list.EndSessionAsync(userId, sessionId, cancellationToken));

    /// <summary>
    /// Refuses every access token of the user issued before this second, and every session begun before it, but those of
    /// <paramref name="keepSessionId"/> (a password change keeps the caller's session). Whole seconds, because <c>iat</c>
    /// has whole seconds: a login in the same second after this still works (the caller ends the sessions that began
    /// earlier in that second by their own marks, and the user's security stamp refuses sign-ins checked before it).
    /// </summary>
    public async Task RevokeUserAsync(string userId, string? keepSessionId, CancellationToken cancellationToken)
    {
        var cutoff = DateTimeOffset.FromUnixTimeSeconds(_time.GetUtcNow().ToUnixTimeSeconds());
        _state.Add(await _list.RevokeUserAsync(userId, cutoff, keepSessionId, cancellationToken));
    }

    /// <summary>Brings the state up to date: one sync at a time, joined by whoever asks while it runs.</summary>
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

    /// <summary>Forgets marks no valid token can need any more.</summary>
    public int RemoveExpired() => _state.RemoveExpired(_time.GetUtcNow());

    private bool IsFresh() => _time.GetUtcNow().UtcTicks - Interlocked.Read(ref _freshAsOfTicks) <= _maxStaleness.Ticks;

    private async ValueTask<bool> CatchUpThenCheckAsync(AccessToken token, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken);
        return _state.IsRevoked(token);
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync().WaitAsync(_syncWait, _time, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new StorageUnavailableException("The revocation list could not be brought up to date in time.", e);
        }

        // A sync that began before the bound (one that hung, say) does not make the state fresh.
        if (!IsFresh())
        {
            throw new StorageUnavailableException("The revocation list is not up to date.");
        }
    }

    private async Task SyncOnceAsync()
    {
        var started = _time.GetUtcNow();
        var since = _readAsOf - ChangeOverlap;
        var (marks, asOf) = await _list.ReadChangesAsync(since, CancellationToken.None);
        foreach (var mark in marks)
        {
            _state.Add(mark);
        }

        if (asOf is { } readAsOf && (_readAsOf is null || readAsOf > _readAsOf))
        {
            _readAsOf = readAsOf;
        }

        // Only forward: a slow sync finishing after a newer one must not make the state look older.
        var ticks = started.UtcTicks;
        long current;
        while (ticks > (current = Interlocked.Read(ref _freshAsOfTicks))
               && Interlocked.CompareExchange(ref _freshAsOfTicks, ticks, current) != current)
        {
        }
    }
}
