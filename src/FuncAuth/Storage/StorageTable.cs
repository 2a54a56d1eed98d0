using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Storage;

/// <summary>
/// One table, with every storage fault turned into <see cref="StorageUnavailableException"/> so the HTTP edge can
/// answer 503 instead of 500.
/// </summary>
/// <remarks>
/// A missing table is created at its first use after start-up, for Azurite and first deployments. Once it has
/// been seen it is never created again: a table that vanishes while the app runs has lost its data, and an empty
/// one in its place would let logged-out tokens pass and free every name. Every call is refused from then on,
/// with a critical log, until the app restarts: the operator restores the table first. (A restart, or a new
/// instance, creates a still-missing table empty, as at a first deployment: the critical log is the signal.)
/// </remarks>
internal sealed partial class StorageTable(TableClient client, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _exists;
    private int _lost;

    public async Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lost) != 0)
        {
            throw Lost(null);
        }

        try
        {
            await EnsureExistsAsync(cancellationToken);
            return await operation(client, cancellationToken);
        }
        catch (TableMissingException e)
        {
            if (Interlocked.Exchange(ref _lost, 1) == 0)
            {
                LogTableLost(logger, client.Name);
            }

            throw Lost(e);
        }
        catch (Exception e) when (IsFault(e, cancellationToken))
        {
            throw new StorageUnavailableException($"Table '{client.Name}' is unavailable: {e.GetType().Name}.", e);
        }
    }

    public void Dispose() => _createGate.Dispose();

    private StorageUnavailableException Lost(Exception? e) =>
        new($"Table '{client.Name}' was deleted while the app ran; it is not recreated, and calls are refused until the app restarts.", e);

    private async Task EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (_exists)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken);
        try
        {
            if (!_exists)
            {
                await client.CreateIfNotExistsAsync(cancellationToken);
                _exists = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    // Anything the operation did not handle itself is a fault of storage, not of the caller's input:
    // the service refused or failed, the network failed, the credential failed, or the call timed out.
    // A cancellation the caller asked for is not a fault and goes on as it is.
    private static bool IsFault(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        RequestFailedException or AuthenticationFailedException or CredentialUnavailableException => true,
        HttpRequestException or IOException or TimeoutException or AggregateException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Critical, Message =
        "Table '{Table}' was deleted while the app was running, and its data with it. It is not recreated (an empty table would let " +
        "logged-out tokens pass again and make every username free): every request that needs it is answered 503 until the table " +
        "is restored and the app restarted.")]
    private static partial void LogTableLost(ILogger logger, string table);
}
