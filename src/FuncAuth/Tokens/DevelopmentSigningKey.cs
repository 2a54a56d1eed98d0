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

    private static string LoadOrCreate(string path) =>
        LocalDataFolder.ReadOrCreateSecret(path, () =>
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            return ecdsa.ExportPkcs8PrivateKeyPem();
        });
}
