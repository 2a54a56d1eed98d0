namespace FuncAuth.Storage;

/// <summary>Table Storage could not be reached or refused the call; the request may be retried later.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : this("Table Storage is unavailable.", null)
    {
    }

    public StorageUnavailableException(string message)
        : this(message, null)
    {
    }

    public StorageUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
