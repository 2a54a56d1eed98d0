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

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="folder"/> owner-only, 0700, on Unix (missing parents get the default mode: the folder's
    /// own mode is what guards its contents); a folder that already exists with a wider mode is narrowed to 0700. It holds the signing key, password hashes and sessions (Azurite's data).
    /// </summary>
    /// <remarks>
    /// The folder's mode is what protects its contents: a file in a 0700 folder cannot be opened by another user,
    /// whatever the file's own mode, since reaching it takes search (x) permission on the folder. That matters for
    /// Azurite, which writes its own files with the process's umask (0644, typically) where FuncAuth cannot set their
    /// mode. FuncAuth's own files are created 0600 besides. A shared folder (sticky bit, as /tmp) is refused rather
    /// than narrowed, which would lock other users out of it. On Windows the folder keeps the ACL it inherits (under
    /// the user's profile, the user's own).
    /// </remarks>
    public static string CreateOwnerOnly(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return folder;
        }

        var mode = Directory.CreateDirectory(folder, OwnerOnly).UnixFileMode;
        if ((mode & GroupOrOther) == 0)
        {
            return folder;
        }

        if (mode.HasFlag(UnixFileMode.StickyBit))
        {
            throw new InvalidOperationException(
                $"{folder} is a folder shared by other users; {SettingName} must name a folder of FuncAuth's own (it holds the signing key and local data).");
        }

        try
        {
            File.SetUnixFileMode(folder, mode & ~GroupOrOther);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException(
                $"{folder} can be read by other users and could not be made owner-only (it belongs to another user?): set {SettingName} to a folder of your own.", e);
        }

        return folder;
    }

    /// <summary>
    /// A secret kept in a file of the local data folder (a generated development key): read when it exists, else made by
    /// <paramref name="create"/> and written owner-only (0600) into the owner-only folder. Two processes racing to create it
    /// both end up using the first one's.
    /// </summary>
    internal static string ReadOrCreateSecret(string path, Func<string> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(create);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        CreateOwnerOnly(Path.GetDirectoryName(path)!);
        var secret = create();
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, fileOptions);
            writer.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, so both agree.
            return File.ReadAllText(path).Trim();
        }
    }

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
