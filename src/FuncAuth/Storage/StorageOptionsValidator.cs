using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Storage;

internal sealed partial class StorageOptionsValidator(IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    // Azurite's well-known account: its key is public, so it is for local runs only.
    private const string DevelopmentAccountName = "devstoreaccount1";

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

        if (hasConnectionString && CheckConnectionString(options.ConnectionString!) is { } connectionStringFailure)
        {
            failures.Add(connectionStringFailure);
        }

        if (options.TableServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add("FuncAuth:Storage:TableServiceUri must be an absolute https URI.");
        }

        foreach (var (setting, table) in new[]
                 {
                     ("UsersTableName", options.UsersTableName),
                     ("RevokedTokensTableName", options.RevokedTokensTableName),
                     ("SessionsTableName", options.SessionsTableName),
                     ("LoginAttemptsTableName", options.LoginAttemptsTableName),
                 })
        {
            if (table is null || !TableName().IsMatch(table) || table.Equals("tables", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"FuncAuth:Storage:{setting} must be 3-63 letters and digits, starting with a letter, and not the reserved name \"tables\".");
            }
        }

        // Table names are case-insensitive; a shared table would let one purge delete another's rows (users, say).
        string?[] tables = [options.UsersTableName, options.RevokedTokensTableName, options.SessionsTableName, options.LoginAttemptsTableName];
        if (tables.Distinct(StringComparer.OrdinalIgnoreCase).Count() < tables.Length)
        {
            failures.Add("FuncAuth:Storage:UsersTableName, FuncAuth:Storage:RevokedTokensTableName, FuncAuth:Storage:SessionsTableName and " +
                "FuncAuth:Storage:LoginAttemptsTableName must name different tables.");
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

    /// <summary>Parses the string as the app will; never quotes it, since it holds an account key.</summary>
    private string? CheckConnectionString(string connectionString)
    {
        TableServiceClient client;
        try
        {
            client = new TableServiceClient(connectionString);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            return "FuncAuth:Storage:ConnectionString is not a valid storage connection string " +
                "(DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net, or UseDevelopmentStorage=true for Azurite).";
        }

        if (environment.IsDevelopment())
        {
            return null;
        }

        if (client.AccountName.Equals(DevelopmentAccountName, StringComparison.OrdinalIgnoreCase))
        {
            return $"FuncAuth:Storage:ConnectionString names Azurite's development account (UseDevelopmentStorage=true, {DevelopmentAccountName}), " +
                $"which is accepted only in the Development environment, not in {environment.EnvironmentName}.";
        }

        return client.Uri.Scheme == Uri.UriSchemeHttps
            ? null
            : $"FuncAuth:Storage:ConnectionString must reach the table service over https in the {environment.EnvironmentName} environment " +
                "(DefaultEndpointsProtocol=https, and any TableEndpoint https://).";
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}
