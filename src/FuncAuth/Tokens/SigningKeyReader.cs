using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>
/// Reads a signing key from its one configuration value: base64 of at least 32 random bytes (HS256), a PEM
/// private key (EC P-256 as PKCS#8 or SEC1 → ES256; RSA of at least 2048 bits as PKCS#8 or PKCS#1 → RS256),
/// or a private JWK as JSON. The algorithm follows from the key. Errors say what is wrong with the value
/// without ever quoting it: it is a secret.
/// </summary>
internal static class SigningKeyReader
{
    public const int MinSymmetricKeyBytes = 32;
    public const int MinRsaKeyBits = 2048;

    public const string AcceptedForms =
        "base64 of at least 32 random bytes (HS256, e.g. 'openssl rand -base64 32'), " +
        "a PEM private key (EC P-256 in PKCS#8 or SEC1 form for ES256, RSA of at least 2048 bits for RS256), " +
        "or a private JWK as JSON (kty EC with crv P-256, RSA, or oct)";

    /// <summary>The key, or null and why the value is not one (in words safe to log).</summary>
    public static SigningKey? TryRead(string? value, out string? error)
    {
        error = null;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "it is empty";
            return null;
        }

        try
        {
            if (text.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                // The platform leaves a reference it could not resolve in place of the secret.
                error = "it is an unresolved Key Vault reference (check that the secret exists and the app's identity may read it)";
                return null;
            }

            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                return ReadPem(text, out error);
            }

            if (text.StartsWith('{'))
            {
                return ReadJwk(text, out error);
            }

            return ReadSymmetric(text, out error);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            error = "its key material is malformed";
            return null;
        }
    }

    private static SigningKey? ReadSymmetric(string text, out string? error)
    {
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            error = "it is neither base64, PEM nor JSON";
            return null;
        }

        return Symmetric(bytes.AsSpan(0, length).ToArray(), out error);
    }

    private static SigningKey? Symmetric(byte[] bytes, out string? error)
    {
        if (bytes.Length < MinSymmetricKeyBytes)
        {
            error = $"an HS256 key must be at least {MinSymmetricKeyBytes} random bytes (256 bits), this one has {bytes.Length}";
            return null;
        }

        error = null;

        // A truncated hash names the key in token headers; it reveals nothing usable about the key.
        var key = new SymmetricSecurityKey(bytes) { KeyId = Base64Url.EncodeToString(SHA256.HashData(bytes).AsSpan(0, 12)) };
        return new SigningKey(key, SecurityAlgorithms.HmacSha256, publicKey: null);
    }

    private static SigningKey? ReadPem(string text, out string? error)
    {
        // A PEM pasted into a single-line setting often arrives with literal "\n" sequences.
        if (!text.Contains('\n', StringComparison.Ordinal))
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal);
        }

        if (!PemEncoding.TryFind(text, out var fields))
        {
            error = "it starts like PEM but holds no complete PEM block";
            return null;
        }

        var label = text[fields.Label];
        var der = Convert.FromBase64String(text[fields.Base64Data]);
        switch (label)
        {
            case "PRIVATE KEY":
                return ReadPkcs8(der, out error);
            case "EC PRIVATE KEY":
                {
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportECPrivateKey(der, out _);
                    return Ec(ecdsa, out error);
                }

            case "RSA PRIVATE KEY":
                {
                    var rsa = RSA.Create();
                    rsa.ImportRSAPrivateKey(der, out _);
                    return Rsa(rsa, out error);
                }

            case "PUBLIC KEY" or "RSA PUBLIC KEY" or "CERTIFICATE":
                error = "it is a public key or certificate; the private key is required to sign";
                return null;
            case "ENCRYPTED PRIVATE KEY":
                error = "it is an encrypted private key; store the key unencrypted in a secret store instead";
                return null;
            default:
                error = $"its PEM label '{label}' is not a private key";
                return null;
        }
    }

    private static SigningKey? ReadPkcs8(byte[] der, out string? error)
    {
        // PKCS#8 names its algorithm inside: try EC, then RSA.
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(der, out _);
            return Ec(ecdsa, out error);
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
            return Rsa(rsa, out error);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            error = "its PKCS#8 key is neither an EC nor an RSA key";
            return null;
        }
    }

    private static SigningKey? ReadJwk(string text, out string? error)
    {
        JsonWebKey jwk;
        try
        {
            jwk = new JsonWebKey(text);
        }
        catch (ArgumentException)
        {
            error = "it starts like JSON but is not a JSON Web Key";
            return null;
        }

        if (!string.IsNullOrEmpty(jwk.Use) && jwk.Use != JsonWebKeyUseNames.Sig)
        {
            error = $"its JWK 'use' is '{jwk.Use}', not 'sig'";
            return null;
        }

        var key = jwk.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.EllipticCurve => JwkEc(jwk, out error),
            JsonWebAlgorithmsKeyTypes.RSA => JwkRsa(jwk, out error),
            JsonWebAlgorithmsKeyTypes.Octet => JwkSymmetric(jwk, out error),
            _ => Fail($"its JWK 'kty' is '{jwk.Kty}'; EC, RSA or oct is required", out error),
        };

        // A JWK may name its algorithm; when it does, it must be the one FuncAuth would use with it.
        if (key is not null && !string.IsNullOrEmpty(jwk.Alg) && jwk.Alg != key.Algorithm)
        {
            return Fail($"its JWK 'alg' is '{jwk.Alg}' but the key is for {key.Algorithm}", out error);
        }

        return key;
    }

    private static SigningKey? JwkEc(JsonWebKey jwk, out string? error)
    {
        if (jwk.Crv != JsonWebKeyECTypes.P256)
        {
            return Fail($"its JWK curve is '{jwk.Crv}'; ES256 requires P-256", out error);
        }

        if (string.IsNullOrEmpty(jwk.D))
        {
            return Fail("it is a public JWK; the private key ('d') is required to sign", out error);
        }

        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64Url.DecodeFromChars(jwk.D),
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.X), Y = Base64Url.DecodeFromChars(jwk.Y) },
        });
        return Ec(ecdsa, out error);
    }

    private static SigningKey? JwkRsa(JsonWebKey jwk, out string? error)
    {
        if (string.IsNullOrEmpty(jwk.D))
        {
            return Fail("it is a public JWK; the private key ('d') is required to sign", out error);
        }

        if (new[] { jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI }.Any(string.IsNullOrEmpty))
        {
            return Fail("its RSA JWK lacks the CRT parameters (p, q, dp, dq, qi)", out error);
        }

        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Base64Url.DecodeFromChars(jwk.N),
            Exponent = Base64Url.DecodeFromChars(jwk.E),
            D = Base64Url.DecodeFromChars(jwk.D),
            P = Base64Url.DecodeFromChars(jwk.P),
            Q = Base64Url.DecodeFromChars(jwk.Q),
            DP = Base64Url.DecodeFromChars(jwk.DP),
            DQ = Base64Url.DecodeFromChars(jwk.DQ),
            InverseQ = Base64Url.DecodeFromChars(jwk.QI),
        });
        return Rsa(rsa, out error);
    }

    private static SigningKey? JwkSymmetric(JsonWebKey jwk, out string? error) =>
        string.IsNullOrEmpty(jwk.K)
            ? Fail("its oct JWK has no 'k'", out error)
            : Symmetric(Base64Url.DecodeFromChars(jwk.K), out error);

    private static SigningKey? Ec(ECDsa ecdsa, out string? error)
    {
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            var name = parameters.Curve.Oid?.FriendlyName ?? parameters.Curve.Oid?.Value ?? "unnamed";
            ecdsa.Dispose();
            return Fail($"its EC key is on curve {name}; ES256 requires P-256", out error);
        }

        var key = new ECDsaSecurityKey(ecdsa);
        var publicKey = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.EllipticCurve,
            Crv = JsonWebKeyECTypes.P256,
            X = Base64Url.EncodeToString(parameters.Q.X),
            Y = Base64Url.EncodeToString(parameters.Q.Y),
        };
        return Asymmetric(key, publicKey, SecurityAlgorithms.EcdsaSha256, out error);
    }

    private static SigningKey? Rsa(RSA rsa, out string? error)
    {
        if (rsa.KeySize < MinRsaKeyBits)
        {
            var size = rsa.KeySize;
            rsa.Dispose();
            return Fail($"its RSA key has {size} bits; at least {MinRsaKeyBits} are required", out error);
        }

        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var key = new RsaSecurityKey(rsa);
        var publicKey = new JsonWebKey
        {
            Kty = JsonWebAlgorithmsKeyTypes.RSA,
            N = Base64Url.EncodeToString(parameters.Modulus),
            E = Base64Url.EncodeToString(parameters.Exponent),
        };
        return Asymmetric(key, publicKey, SecurityAlgorithms.RsaSha256, out error);
    }

    private static SigningKey Asymmetric(AsymmetricSecurityKey key, JsonWebKey publicKey, string algorithm, out string? error)
    {
        error = null;

        // RFC 7638: the key id is the thumbprint of the public key, so nobody invents or configures one.
        var keyId = Base64Url.EncodeToString(publicKey.ComputeJwkThumbprint());
        key.KeyId = keyId;
        publicKey.Kid = keyId;
        publicKey.Alg = algorithm;
        publicKey.Use = JsonWebKeyUseNames.Sig;
        return new SigningKey(key, algorithm, publicKey);
    }

    private static SigningKey? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    internal static string Describe(string setting, string error) =>
        $"{setting} is not a signing key FuncAuth accepts: {error}. Accepted forms: {AcceptedForms}.";
}
