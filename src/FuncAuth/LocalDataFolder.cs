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
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(environment.ContentRootPath, ".funcauth")
            : Path.GetFullPath(configured, environment.ContentRootPath);
    }
}
