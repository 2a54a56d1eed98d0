using System.Security.Cryptography;

namespace FuncAuth.Tests.Support;

/// <summary>Signing keys for tests, one of each kind, in the forms FuncAuth reads from configuration.</summary>
public static class TestKeys
{
    /// <summary>An HS256 key: base64 of 32 bytes.</summary>
    public const string Hs256 = FuncAuthApp.SigningKey;

    /// <summary>An ES256 key as PKCS#8 PEM, new for each test run.</summary>
    public static string Es256 { get; } = NewEs256();

    /// <summary>An RS256 key (2048 bits) as PKCS#8 PEM, new for each test run.</summary>
    public static string Rs256 { get; } = NewRs256();

    public static string NewEs256()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportPkcs8PrivateKeyPem();
    }

    public static string NewRs256()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The app settings that make <paramref name="signingKey"/> the active key.</summary>
    public static Dictionary<string, string?> Active(string signingKey, params string[] previous)
    {
        var settings = new Dictionary<string, string?> { ["FuncAuth:Tokens:SigningKey"] = signingKey };
        for (var i = 0; i < previous.Length; i++)
        {
            settings[$"FuncAuth:Tokens:PreviousSigningKeys:{i}"] = previous[i];
        }

        return settings;
    }
}
