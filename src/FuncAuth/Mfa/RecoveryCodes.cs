using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Storage;

namespace FuncAuth.Mfa;

/// <summary>
/// One-time recovery codes, for a user without their authenticator: 10 of them, each 10 characters of an alphabet
/// without look-alikes (no 0/O, 1/I/L, so 50 random bits), shown once as <c>XXXXX-XXXXX</c>. Only the SHA-256 of the user id
/// and the code is stored, one row each (<c>recovery-&lt;hex&gt;</c>): a table reader cannot use them, and the user id in the
/// hash means one guess tests one user's codes, not everyone's. A code is spent by deleting its row: the table answers 204 to
/// exactly one of any number of racing deletes, so a code signs in once.
/// </summary>
internal sealed class RecoveryCodes(FuncAuthTables tables)
{
    public const int Count = 10;
    public const int Length = 10;
    public const string RowPrefix = "recovery-";

    /// <summary>The first row key after every <see cref="RowPrefix"/> one ('-' + 1 is '.').</summary>
    public const string RowPrefixEnd = "recovery.";

    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>New codes, as shown to the user (grouped), with the rows that store their hashes.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<TableEntity> Rows) Generate(string userId, DateTimeOffset now)
    {
        var codes = new List<string>(Count);
        var rows = new List<TableEntity>(Count);
        while (codes.Count < Count)
        {
            var code = RandomNumberGenerator.GetString(Alphabet, Length);
            var row = RowOf(userId, code);
            if (rows.Any(r => r.RowKey == row))
            {
                continue;
            }

            codes.Add($"{code[..5]}-{code[5..]}");
            rows.Add(new TableEntity(userId, row) { ["CreatedAt"] = now });
        }

        return (codes, rows);
    }

    /// <summary>A code as typed: case, spaces and hyphens are ignored; null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 4 * Length)
        {
            return null;
        }

        var code = new string([.. typed.Where(c => c is not (' ' or '-')).Select(char.ToUpperInvariant)]);
        return code.Length == Length && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? code : null;
    }

    /// <summary>Spends <paramref name="code"/> (normalised): true for exactly one caller, false when it is not one of the user's or was spent.</summary>
    public Task<bool> TrySpendAsync(string userId, string code, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                try
                {
                    // The SDK answers a delete of a missing row with a 404 response rather than an exception: the status
                    // decides, as in OneTimeTokens.
                    var deleted = await table.DeleteEntityAsync(userId, RowOf(userId, code), ETag.All, ct);
                    return deleted.Status != 404;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                    return false;
                }
            },
            cancellationToken);

    /// <summary>How many unspent codes the user has.</summary>
    public Task<int> CountAsync(string userId, CancellationToken cancellationToken) =>
        tables.Authenticators.RunAsync(
            async (table, ct) =>
            {
                var count = 0;
                await foreach (var _ in table.QueryAsync<TableEntity>(
                    TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {RowPrefix} and RowKey lt {RowPrefixEnd}"), select: ["RowKey"], cancellationToken: ct))
                {
                    count++;
                }

                return count;
            },
            cancellationToken);

    private static string RowOf(string userId, string code) =>
        RowPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}\n{code}")));
}
