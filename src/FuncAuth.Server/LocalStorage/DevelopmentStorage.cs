using FuncAuth.Storage;

namespace FuncAuth.Server.LocalStorage;

/// <summary>
/// <c>dotnet run</c> as the whole set-up: in Development, when no storage is configured, start Azurite
/// (Table service only, data kept in the git-ignored local data folder) and point FuncAuth at it.
/// </summary>
internal static class DevelopmentStorage
{
    private const int AzuriteTablePort = 10002;

    public static async Task<AzuriteProcess?> StartIfNeededAsync(WebApplicationBuilder builder)
    {
        var storage = builder.Configuration.GetSection(StorageOptions.SectionName);
        if (!builder.Environment.IsDevelopment()
            || !string.IsNullOrWhiteSpace(storage[nameof(StorageOptions.ConnectionString)])
            || !string.IsNullOrWhiteSpace(storage[nameof(StorageOptions.TableServiceUri)]))
        {
            return null;
        }

        var root = AzuriteProcess.FindRepositoryRoot(builder.Environment.ContentRootPath)
            ?? throw new InvalidOperationException(
                "No storage is configured and the FuncAuth repository (for its Azurite) was not found above " +
                $"{builder.Environment.ContentRootPath}. Set FuncAuth:Storage:ConnectionString or FuncAuth:Storage:TableServiceUri.");

        // The local data folder first, so that it is owner-only too (created 0700, or narrowed to it), not just Azurite's.
        var dataFolder = Path.Combine(LocalDataFolder.CreateOwnerOnly(LocalDataFolder.Resolve(builder.Environment, builder.Configuration)), "azurite");
        var port = AzuriteProcess.IsPortFree(AzuriteTablePort) ? AzuriteTablePort : AzuriteProcess.FreePort();
        var azurite = await AzuriteProcess.StartAsync(root, port, dataFolder);
        builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)}"] = azurite.ConnectionString;
        return azurite;
    }
}
