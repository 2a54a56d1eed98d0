using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables.Models;

namespace FuncAuth.Storage;

/// <summary>
/// Makes "this table does not exist" an error on every call. Without it some calls read a missing table as an
/// empty one: <c>GetEntityIfExists</c> answers "no such entity" (so a revoked token would pass) and
/// <c>DeleteEntity</c> answers success.
/// </summary>
internal sealed class MissingTablePolicy : HttpPipelinePolicy
{
    private static readonly string TableNotFound = TableErrorCode.TableNotFound.ToString();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        ThrowIfTableMissing(message);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        ThrowIfTableMissing(message);
    }

    private static void ThrowIfTableMissing(HttpMessage message)
    {
        if (message.HasResponse
            && message.Response.Status == 404
            && message.Response.Headers.TryGetValue("x-ms-error-code", out var code)
            && code == TableNotFound)
        {
            throw new TableMissingException();
        }
    }
}

/// <summary>
/// The table a call named is not there. Not a <see cref="Azure.RequestFailedException"/>, so no operation's own
/// handling of a 404 ("that entity is gone") can take it for an answer.
/// </summary>
internal sealed class TableMissingException : Exception
{
    public TableMissingException()
        : base("The table does not exist.")
    {
    }

    public TableMissingException(string message)
        : base(message)
    {
    }

    public TableMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
