using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;

[assembly: AssemblyFixture(typeof(StorageFixture))]

namespace FuncAuth.Tests.Support;

/// <summary>
/// Real Table Storage for the whole run: the account in <c>FUNCAUTH_TEST_STORAGE</c> when set, otherwise
/// Azurite's Table service from the repository's node_modules, in memory on a free loopback port.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "FUNCAUTH_TEST_STORAGE";

    private AzuriteProcess? _azurite;

    public string ConnectionString { get; private set; } = string.Empty;

    public static string RepositoryRoot { get; } = AzuriteProcess.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"The FuncAuth repository was not found above {AppContext.BaseDirectory}.");

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        _azurite = await AzuriteProcess.StartAsync(RepositoryRoot, AzuriteProcess.FreePort(), dataFolder: null);
        ConnectionString = _azurite.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
