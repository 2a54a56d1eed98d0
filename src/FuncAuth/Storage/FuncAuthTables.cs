using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Storage;

/// <summary>The tables FuncAuth keeps its state in, reached by connection string or by identity.</summary>
internal sealed class FuncAuthTables : IDisposable
{
    /// <param name="options">Where the tables are.</param>
    /// <param name="logger">For the critical event of a table deleted while the app runs.</param>
    /// <param name="policies">Pipeline policies registered in DI, run on every try of every call (tests use them to simulate faults).</param>
    /// <param name="time">For <see cref="Health"/>'s interval.</param>
    public FuncAuthTables(IOptions<StorageOptions> options, ILogger<StorageTable> logger, IEnumerable<HttpPipelinePolicy> policies, TimeProvider time)
    {
        Health = new StorageHealth(ProbeAsync, time);
        var settings = options.Value;
        var clientOptions = new TableClientOptions
        {
            Retry =
            {
                MaxRetries = settings.MaxRetries,
                Mode = RetryMode.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                NetworkTimeout = settings.NetworkTimeout,
            },
        };
        clientOptions.AddPolicy(new MissingTablePolicy(), HttpPipelinePosition.PerCall);
        foreach (var policy in policies)
        {
            clientOptions.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }

        var service = string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new TableServiceClient(settings.TableServiceUri, new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(settings.ConnectionString, clientOptions);

        Users = new StorageTable(service.GetTableClient(settings.UsersTableName), logger);
        RevokedTokens = new StorageTable(service.GetTableClient(settings.RevokedTokensTableName), logger);
        Sessions = new StorageTable(service.GetTableClient(settings.SessionsTableName), logger);
        LoginAttempts = new StorageTable(service.GetTableClient(settings.LoginAttemptsTableName), logger);
        EmailAddresses = new StorageTable(service.GetTableClient(settings.EmailAddressesTableName), logger);
        OneTimeTokens = new StorageTable(service.GetTableClient(settings.OneTimeTokensTableName), logger);
        Outbox = new StorageTable(service.GetTableClient(settings.OutboxTableName), logger);
        Authenticators = new StorageTable(service.GetTableClient(settings.AuthenticatorsTableName), logger);
    }

    public StorageTable Users { get; }

    public StorageTable RevokedTokens { get; }

    public StorageTable Sessions { get; }

    public StorageTable LoginAttempts { get; }

    public StorageTable EmailAddresses { get; }

    public StorageTable OneTimeTokens { get; }

    public StorageTable Outbox { get; }

    public StorageTable Authenticators { get; }

    /// <summary><see cref="ProbeAsync"/>'s outcome, cached: what the health endpoint answers from.</summary>
    public StorageHealth Health { get; }

    public void Dispose()
    {
        Users.Dispose();
        RevokedTokens.Dispose();
        Sessions.Dispose();
        LoginAttempts.Dispose();
        EmailAddresses.Dispose();
        OneTimeTokens.Dispose();
        Outbox.Dispose();
        Authenticators.Dispose();
    }

    /// <summary>Answers when every table can be read; throws <see cref="StorageUnavailableException"/> when not.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        foreach (var table in new[] { Users, RevokedTokens, Sessions, LoginAttempts, EmailAddresses, OneTimeTokens, Outbox, Authenticators })
        {
            await table.RunAsync(
                static async (client, ct) => await client.GetEntityIfExistsAsync<TableEntity>("health", "probe", ["PartitionKey"], ct),
                cancellationToken);
        }
    }
}
