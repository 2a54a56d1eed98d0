using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FuncAuth;

/// <summary>
/// Where a development machine keeps FuncAuth's local state (the generated signing key, Azurite's data):
/// <c>FuncAuth:LocalDataPath</c>, or <c>.funcauth</c> under the content root. It is git-ignored.
/// </summary>
public static class LocalDataFolder
{
    public const string SettingName = "FuncAuth:LocalDataPath";

    public static string Resolve(IHostEnvironment environment, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[SettingName];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return Path.Combine(environment.ContentRootPath, ".funcauth");
        }

        try
        {
            return Path.GetFullPath(configured, environment.ContentRootPath);
        }
        catch (ArgumentException e)
        {
            // Read while the app starts (for the generated key): say which setting is wrong, not just "bad path".
            throw new InvalidOperationException($"{SettingName} must be a folder path (it is used in Development only).", e);
        }
    }
}
