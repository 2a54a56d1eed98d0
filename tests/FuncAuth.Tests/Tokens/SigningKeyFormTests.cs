using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Tokens;

/// <summary>
/// Every accepted form of <c>FuncAuth:Tokens:SigningKey</c> signs tokens that verify, with the algorithm the key
/// implies and an RFC 7638 kid; every unacceptable one stops start-up with a message that names the setting,
/// lists the accepted forms, and never quotes the value.
/// </summary>
public sealed class SigningKeyFormTests(StorageFixture storage)
{
    public static TheoryData<string, string, string> AcceptedForms()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var ecParameters = ec.ExportParameters(includePrivateParameters: true);
        var rsaParameters = rsa.ExportParameters(includePrivateParameters: true);
        return new()
        {
            { "base64", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "HS256" },
            { "PEM EC PKCS#8", ec.ExportPkcs8PrivateKeyPem(), "ES256" },
            { "PEM EC SEC1", ec.ExportECPrivateKeyPem(), "ES256" },
            { "PEM EC with escaped newlines", ec.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal), "ES256" },
            { "PEM RSA PKCS#8", rsa.ExportPkcs8PrivateKeyPem(), "RS256" },
            { "PEM RSA PKCS#1", rsa.ExportRSAPrivateKeyPem(), "RS256" },
            { "JWK EC", EcJwk(ecParameters, withPrivate: true).ToJsonString(), "ES256" },
            { "JWK RSA", RsaJwk(rsaParameters, withPrivate: true).ToJsonString(), "RS256" },
            { "JWK oct", new JsonObject { ["kty"] = "oct", ["k"] = B64(RandomNumberGenerator.GetBytes(32)) }.ToJsonString(), "HS256" },
        };
    }

    public static TheoryData<string, string, string> RefusedForms()
    {
        using var rsa1024 = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        return new()
        {
            { "RSA 1024", rsa1024.ExportPkcs8PrivateKeyPem(), "1024 bits; at least 2048" },
            { "PEM P-384", p384.ExportPkcs8PrivateKeyPem(), "requires P-256" },
            { "JWK P-384", EcJwk(p384.ExportParameters(true), withPrivate: true, curve: "P-384").ToJsonString(), "requires P-256" },
            { "PEM public EC", ec.ExportSubjectPublicKeyInfoPem(), "public key" },
            { "PEM public RSA", rsa.ExportSubjectPublicKeyInfoPem(), "public key" },
            { "JWK public EC", EcJwk(ec.ExportParameters(false), withPrivate: false).ToJsonString(), "public JWK" },
            { "JWK public RSA", RsaJwk(rsa.ExportParameters(false), withPrivate: false).ToJsonString(), "public JWK" },
            { "short HS256", Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), "at least 32 random bytes" },
            { "garbage", "this is not a key at all!", "neither base64, PEM nor JSON" },
            { "broken PEM", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "neither an EC nor an RSA key" },
            { "JWK with another alg", EcJwk(ec.ExportParameters(true), withPrivate: true, alg: "ES384").ToJsonString(), "'alg' is 'ES384'" },
            { "unresolved Key Vault reference", "@Microsoft.KeyVault(VaultName=kv;SecretName=funcauth-signing-key)", "unresolved Key Vault reference" },
        };
    }

    [Theory]
    [MemberData(nameof(AcceptedForms))]
    public async Task Each_accepted_form_signs_and_verifies(string form, string key, string algorithm)
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(key));
        using var client = app.CreateClient();
        var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());

        var header = TestTokens.HeaderOf(token);
        Assert.Equal(algorithm, header["alg"]!.GetValue<string>());
        Assert.Equal(TestTokens.Read(key).KeyId, header["kid"]!.GetValue<string>());
        using var verified = await client.VerifyAsync(token);
        Assert.True(verified.StatusCode == HttpStatusCode.OK, form);
    }

    [Theory]
    [MemberData(nameof(RefusedForms))]
    public async Task Each_refused_form_stops_startup_without_quoting_the_key(string form, string key, string reason)
    {
        var message = await StartupFailure.MessageAsync(storage.ConnectionString, "Production", TestKeys.Active(key));
        Assert.Contains("FuncAuth:Tokens:SigningKey is not a signing key FuncAuth accepts", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("a PEM private key (EC P-256", message, StringComparison.Ordinal);
        AssertNotQuoted(key, message, form);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_key_outside_development_stops_startup(string key)
    {
        var message = await StartupFailure.MessageAsync(storage.ConnectionString, "Production", TestKeys.Active(key));
        Assert.Contains("FuncAuth:Tokens:SigningKey is required outside Development", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_previous_key_stops_startup_naming_its_position()
    {
        using var rsa1024 = RSA.Create(1024);
        var bad = rsa1024.ExportPkcs8PrivateKeyPem();
        var message = await StartupFailure.MessageAsync(
            storage.ConnectionString, "Production", TestKeys.Active(TestKeys.Es256, TestKeys.Rs256, bad));
        Assert.Contains("FuncAuth:Tokens:PreviousSigningKeys:1 is not a signing key", message, StringComparison.Ordinal);
        Assert.DoesNotContain("PreviousSigningKeys:0", message, StringComparison.Ordinal);
        AssertNotQuoted(bad, message, "previous");
    }

    [Fact]
    public void The_library_thumbprint_matches_the_example_of_RFC_7638()
    {
        // RFC 7638 §3.1: the RSA key of RFC 7517 Appendix A.1 and its thumbprint.
        var key = new JsonWebKey
        {
            Kty = "RSA",
            E = "AQAB",
            N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        };
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", B64(key.ComputeJwkThumbprint()));
    }

    [Fact]
    public void Asymmetric_kids_are_the_RFC_7638_thumbprint_of_the_public_key()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = ec.ExportParameters(false).Q;

        // The RFC's canonical form: the required members only, in lexicographic order, no whitespace.
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{B64(q.X!)}\",\"y\":\"{B64(q.Y!)}\"}}";
        var expected = B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, TestTokens.Read(ec.ExportPkcs8PrivateKeyPem()).KeyId);

        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var rsaCanonical = $"{{\"e\":\"{B64(p.Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{B64(p.Modulus!)}\"}}";
        Assert.Equal(B64(SHA256.HashData(Encoding.UTF8.GetBytes(rsaCanonical))), TestTokens.Read(rsa.ExportRSAPrivateKeyPem()).KeyId);
    }

    private static void AssertNotQuoted(string key, string message, string form)
    {
        // No line of the key's text, and no long run of it, appears in the message.
        foreach (var line in key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.Length >= 16 && !line.StartsWith("-----", StringComparison.Ordinal))
            {
                Assert.False(message.Contains(line[..16], StringComparison.Ordinal), $"{form}: the message quotes the key.");
            }
        }
    }

    private static JsonObject EcJwk(ECParameters p, bool withPrivate, string curve = "P-256", string? alg = null)
    {
        var jwk = new JsonObject { ["kty"] = "EC", ["crv"] = curve, ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        if (withPrivate)
        {
            jwk["d"] = B64(p.D!);
        }

        if (alg is not null)
        {
            jwk["alg"] = alg;
        }

        return jwk;
    }

    private static JsonObject RsaJwk(RSAParameters p, bool withPrivate)
    {
        var jwk = new JsonObject { ["kty"] = "RSA", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        if (withPrivate)
        {
            jwk["d"] = B64(p.D!);
            jwk["p"] = B64(p.P!);
            jwk["q"] = B64(p.Q!);
            jwk["dp"] = B64(p.DP!);
            jwk["dq"] = B64(p.DQ!);
            jwk["qi"] = B64(p.InverseQ!);
        }

        return jwk;
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
