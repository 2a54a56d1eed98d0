using System.Threading.Channels;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// Wakes this instance's dispatcher when a request has just written a message, so it goes out at once rather than at the
/// next interval. In memory only: other instances find the message at their own next interval.
/// </summary>
internal sealed class DispatchSignal
{
    // One pending wake is enough: a round reads every message due, however many were written meanwhile.
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wakes.Writer.TryWrite(true);

    /// <summary>Returns when woken or when <paramref name="interval"/> has passed on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, timeout.Token);
        var woken = _wakes.Reader.WaitToReadAsync(timeout.Token).AsTask();
        await Task.WhenAny(delay, woken);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        _wakes.Reader.TryRead(out _);
    }
}
