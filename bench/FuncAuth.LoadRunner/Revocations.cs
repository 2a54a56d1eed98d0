using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;

namespace FuncAuth.LoadRunner;

/// <summary>
/// Live revocations written straight into FuncAuth's RevokedTokens table, in the entity shape FuncAuth's
/// RevocationTable writes: partition = the token's expiry hour (yyyyMMddHH, UTC), row = its token id
/// (128 random bits, base64url), properties Subject, ExpiresAt and RevokedAt.
/// </summary>
internal static class Revocations
{
    private const string Table = "RevokedTokens";
    private const int BatchSize = 100;

    public static async Task InsertAsync(string connectionString, int count)
    {
        var table = new TableClient(connectionString, Table);
        await table.CreateIfNotExistsAsync();

        // Still live for at least ten minutes after insertion, within the default 15-minute token lifetime.
        var now = DateTimeOffset.UtcNow;
        var entities = Enumerable.Range(0, count).Select(i =>
        {
            var expires = DateTimeOffset.FromUnixTimeSeconds((now + TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(300.0 * i / count)).ToUnixTimeSeconds());
            return new TableEntity(expires.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)))
            {
                ["Subject"] = Guid.NewGuid().ToString(),
                ["ExpiresAt"] = expires,
                ["RevokedAt"] = now,
            };
        });

        // A transaction holds at most 100 entities of one partition.
        var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(p => p.Chunk(BatchSize)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct));
    }
}
