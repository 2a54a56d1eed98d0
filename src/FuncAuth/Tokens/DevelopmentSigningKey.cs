using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tokens;

/// <summary>
/// In Development only, when no key is configured: a new ES256 key (PKCS#8 PEM) kept in the local data
/// folder (git-ignored), so tokens survive a restart. Anywhere else a missing key stops start-up.
/// </summary>
internal sealed class DevelopmentSigningKey(IHostEnvironment environment, IConfiguration configuration)
    : IPostConfigureOptions<TokenOptions>
{
    public const string FileName = "signing-key.pem";

    public void PostConfigure(string? name, TokenOptions options)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return;
        }

        var path = Path.Combine(LocalDataFolder.Resolve(environment, configuration), FileName);
        options.SigningKey = LoadOrCreate(path);
    }

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        LocalDataFolder.CreateOwnerOnly(Path.GetDirectoryName(path)!);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = ecdsa.ExportPkcs8PrivateKeyPem();
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var writer = new StreamWriter(path, fileOptions);
            writer.Write(key);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs, so both sign alike.
            return File.ReadAllText(path).Trim();
        }
    }
}
