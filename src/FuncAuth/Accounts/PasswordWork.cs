namespace FuncAuth.Accounts;

/// <summary>
/// Lets as many password hashes run at once as there are processors, and makes every other request wait for its turn
/// without holding a thread. A hash occupies its thread for the whole PBKDF2 cost (about 140 ms at 600,000 iterations):
/// hundreds of logins at once would otherwise hold every pool thread, and the storage calls those logins (and every
/// verify) await would find no thread to finish on. Queued, they finish in turn; the throughput is the processors'.
/// </summary>
internal sealed class PasswordWork : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
