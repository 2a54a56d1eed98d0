using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Identity;

namespace FuncAuth.Storage;

/// <summary>
/// One table, created on first use (and again if someone deleted it), with every storage fault turned
/// into <see cref="StorageUnavailableException"/> so the HTTP edge can answer 503 instead of 500.
/// </summary>
internal sealed class StorageTable(TableClient client) : IDisposable
{
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _exists;

    public async Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureExistsAsync(cancellationToken);
            try
            {
                return await operation(client, cancellationToken);
            }
            catch (RequestFailedException e) when (e.ErrorCode == TableErrorCode.TableNotFound)
            {
                _exists = false;
                await EnsureExistsAsync(cancellationToken);
                return await operation(client, cancellationToken);
            }
        }
        catch (Exception e) when (IsFault(e, cancellationToken))
        {
            throw new StorageUnavailableException($"Table '{client.Name}' is unavailable: {e.GetType().Name}.", e);
        }
    }

    public void Dispose() => _createGate.Dispose();

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
}
