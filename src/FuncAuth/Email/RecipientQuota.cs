using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email;

/// <summary>
/// How many messages that anyone can ask for (forgot, resend, an address change) an address has been sent this hour:
/// at most <see cref="EmailOptions.MaxMessagesPerAddressPerHour"/>, so FuncAuth cannot be used to flood an inbox however
/// many client addresses the requests come from. One counter per address and clock hour (keyed by the address's hash,
/// in the one-time tokens table), raised by ETag-conditional writes, so racing requests on any instance count exactly.
/// </summary>
internal sealed class RecipientQuota(FuncAuthTables tables, IOptions<EmailOptions> options, TimeProvider time)
{
    private const string PartitionPrefix = "quota-";
    private const int MaxRounds = 32;

    /// <summary>Takes one message from the address's budget for this hour: false when it is spent (nothing is written).</summary>
    public Task<bool> TryTakeAsync(EmailAddress address, CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            async (table, ct) =>
            {
                var partition = PartitionOf(time.GetUtcNow());
                for (var round = 0; round < MaxRounds; round++)
                {
                    var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, address.Key, cancellationToken: ct);
                    try
                    {
                        if (!found.HasValue || found.Value is not { } entity)
                        {
                            await table.AddEntityAsync(new TableEntity(partition, address.Key) { ["Count"] = 1 }, ct);
                            return true;
                        }

                        var count = entity.GetInt32("Count") ?? 0;
                        if (count >= options.Value.MaxMessagesPerAddressPerHour)
                        {
                            return false;
                        }

                        await table.UpdateEntityAsync(new TableEntity(partition, address.Key) { ["Count"] = count + 1 }, entity.ETag, TableUpdateMode.Replace, ct);
                        return true;
                    }
                    catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
                    {
                    }
                }

                throw new StorageUnavailableException($"A recipient's message count could not be raised after {MaxRounds} rounds of contention.");
            },
            cancellationToken);

    /// <summary>Removes the counters of hours before the previous one; answers how many went.</summary>
    public Task<int> PurgeAsync(CancellationToken cancellationToken) =>
        tables.OneTimeTokens.RunAsync(
            (table, ct) => TableSweep.DeleteMatchingAsync(
                table, TableClient.CreateQueryFilter($"PartitionKey ge {PartitionPrefix} and PartitionKey lt {PartitionOf(time.GetUtcNow().AddHours(-1))}"), ct),
            cancellationToken);

    private static string PartitionOf(DateTimeOffset now) => PartitionPrefix + now.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
}
