using Azure;
using Azure.Data.Tables;

namespace FuncAuth.Storage;

/// <summary>What the purges share: removing every row a filter matches, whatever wrote it meanwhile.</summary>
internal static class TableSweep
{
    /// <summary>Deletes the rows the filter matches (a row already gone is no error); answers how many it removed.</summary>
    public static async Task<int> DeleteMatchingAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var removed = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
                removed++;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }

        return removed;
    }
}
