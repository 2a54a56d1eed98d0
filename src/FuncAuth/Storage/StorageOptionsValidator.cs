using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Storage;

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.TableServiceUri is not null))
        {
            failures.Add(
                "Set exactly one of FuncAuth:Storage:ConnectionString (UseDevelopmentStorage=true for Azurite) " +
                "and FuncAuth:Storage:TableServiceUri (https://<account>.table.core.windows.net, reached by managed identity).");
        }

        if (options.TableServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("FuncAuth:Storage:TableServiceUri must be an absolute https URI.");
        }

        foreach (var (setting, table) in new[]
                 {
                     ("UsersTableName", options.UsersTableName),
                     ("RevokedTokensTableName", options.RevokedTokensTableName),
                 })
        {
            if (table is null || !TableName().IsMatch(table))
            {
                failures.Add($"FuncAuth:Storage:{setting} must be 3-63 letters and digits, starting with a letter.");
            }
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("FuncAuth:Storage:MaxRetries must be between 0 and 10.");
        }

        if (options.NetworkTimeout <= TimeSpan.Zero || options.NetworkTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add("FuncAuth:Storage:NetworkTimeout must be positive and at most 2 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}
