using System.Net;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace FuncAuth.Tests.Hosting;

/// <summary>
/// Development data (the signing key, Azurite's tables with password hashes and sessions) is owner-only: folders
/// 0700, FuncAuth's files 0600, and a folder found with a wider mode narrowed. Unix only: Windows uses ACLs.
/// </summary>
public sealed class LocalDataPermissionsTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task The_development_start_up_creates_the_local_data_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }

        var root = Directory.CreateTempSubdirectory("funcauth-modes-").FullName;
        var local = Path.Combine(root, "nested", "local");
        try
        {
            // The Server's Development path: no storage configured, so it starts Azurite with its data under the folder.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                EnvironmentName = "Development",
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.Configuration["FuncAuth:LocalDataPath"] = local;
            await using var azurite = await DevelopmentStorage.StartIfNeededAsync(builder);
            Assert.NotNull(azurite);

            // The app on that Azurite, with no key configured: it generates one in the same folder. A user written
            // makes Azurite write its files.
            await using (var app = new FuncAuthApp(azurite.ConnectionString, new Dictionary<string, string?>
            {
                ["FuncAuth:Tokens:SigningKey"] = null,
                ["FuncAuth:LocalDataPath"] = local,
            }))
            {
                using var client = app.CreateClient();
                await client.RegisterAndLoginAsync(AuthClient.NewUsername());
            }

            Assert.Equal(Folder, File.GetUnixFileMode(local));
            Assert.Equal(Folder, File.GetUnixFileMode(Path.Combine(local, "azurite")));
            Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(local, "signing-key.pem")));
            var azuriteFiles = Directory.GetFiles(Path.Combine(local, "azurite"), "*", SearchOption.AllDirectories);
            Assert.NotEmpty(azuriteFiles);
            foreach (var file in azuriteFiles)
            {
                // Azurite's own files keep Azurite's umask; only the 0700 folders around them keep others out.
                TestContext.Current.TestOutputHelper?.WriteLine($"{Path.GetRelativePath(local, file)}: {File.GetUnixFileMode(file)}");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_folder_found_open_to_others_is_narrowed_and_a_shared_one_refused()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes.");
            return;
        }

        var root = Directory.CreateTempSubdirectory("funcauth-modes-").FullName;
        try
        {
            var open = Path.Combine(root, "open");
            Directory.CreateDirectory(open);
            File.SetUnixFileMode(open, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Assert.Equal(open, LocalDataFolder.CreateOwnerOnly(open));
            Assert.Equal(Folder, File.GetUnixFileMode(open));

            var shared = Path.Combine(root, "shared");
            Directory.CreateDirectory(shared);
            var sharedMode = Folder | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;
            File.SetUnixFileMode(shared, sharedMode);
            var refused = Assert.Throws<InvalidOperationException>(() => LocalDataFolder.CreateOwnerOnly(shared));
            Assert.Contains("FuncAuth:LocalDataPath", refused.Message, StringComparison.Ordinal);
            Assert.Equal(sharedMode, File.GetUnixFileMode(shared));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
