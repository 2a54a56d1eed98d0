using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Tokens;

/// <summary>
/// RFC 8725 §2.1 and §3.1 attacks on an asymmetric deployment: the published public key used as an HMAC
/// secret, an <c>alg</c> that is not the key's, a missing, unknown or hostile <c>kid</c>, and headers that try
/// to bring their own key. Every one is a 401, and no header makes FuncAuth fetch anything.
/// </summary>
public abstract class KeyConfusionTests(StorageFixture storage, string signingKey)
    : AppTests(new FuncAuthApp(storage.ConnectionString, TestKeys.Active(signingKey)))
{
    private readonly string _keyId = TestTokens.Read(signingKey).KeyId;
    private readonly string _algorithm = TestTokens.Read(signingKey).Algorithm;

    public static TheoryData<string> Algorithms() => ["HS256", "HS384", "ES256", "ES384", "RS256", "PS256", "none", "None", "es256", ""];

    public static TheoryData<string> HostileKeyIds() =>
    [
        "../../../../../../dev/null", "/etc/passwd", "' OR '1'='1", "x\"; DROP TABLE keys; --", "kid\u0000", "%00",
        "http://127.0.0.1:1/jwks.json", "{\"kty\":\"oct\",\"k\":\"\"}", " ", "*",
    ];

    [Fact]
    public async Task The_control_token_signed_with_the_real_key_passes()
    {
        using var response = await Client.VerifyAsync(Sign(TestTokens.Header(signingKey)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HS256_signed_with_the_published_public_key_is_refused()
    {
        var jwks = await Client.GetStringAsync(".well-known/jwks.json");
        var jwk = JsonNode.Parse(jwks)!["keys"]![0]!;
        var key = TestTokens.Read(signingKey).SecurityKey;
        var spki = key is ECDsaSecurityKey ec ? ec.ECDsa.ExportSubjectPublicKeyInfo() : ((RsaSecurityKey)key).Rsa.ExportSubjectPublicKeyInfo();
        var pem = PemEncoding.WriteString("PUBLIC KEY", spki);
        var secrets = new List<byte[]>
        {
            Encoding.UTF8.GetBytes(jwks),
            Encoding.UTF8.GetBytes(jwk.ToJsonString()),
            Encoding.UTF8.GetBytes(pem),
            Encoding.UTF8.GetBytes(pem + "\n"),
            spki,
        };
        if (key is ECDsaSecurityKey)
        {
            var x = Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>());
            var y = Base64Url.DecodeFromChars(jwk["y"]!.GetValue<string>());
            secrets.Add([0x04, .. x, .. y]);
            secrets.Add([.. x, .. y]);
        }
        else
        {
            secrets.Add(Base64Url.DecodeFromChars(jwk["n"]!.GetValue<string>()));
        }

        foreach (var secret in secrets)
        {
            var header = new JsonObject { ["alg"] = "HS256", ["kid"] = _keyId, ["typ"] = "at+jwt" };
            await AssertRefused(TestTokens.HmacSign(header.ToJsonString(), Claims(), secret));
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task An_alg_that_is_not_the_keys_is_refused_even_with_a_valid_signature(string algorithm)
    {
        // The real key's real signature; only the header's alg differs (when it is the key's own, the token passes).
        var header = TestTokens.Header(signingKey);
        header["alg"] = algorithm;
        if (algorithm == _algorithm)
        {
            using var control = await Client.VerifyAsync(Sign(header));
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);
            return;
        }

        await AssertRefused(Sign(header));
    }

    [Fact]
    public async Task A_token_without_kid_is_refused()
    {
        var header = TestTokens.Header(signingKey);
        header.Remove("kid");
        await AssertRefused(Sign(header));
    }

    [Fact]
    public async Task An_unknown_kid_is_refused()
    {
        var header = TestTokens.Header(signingKey);
        header["kid"] = TestTokens.Read(TestKeys.NewEs256()).KeyId;
        await AssertRefused(Sign(header));
    }

    [Theory]
    [MemberData(nameof(HostileKeyIds))]
    public async Task A_kid_with_path_or_injection_text_is_refused(string kid)
    {
        var header = TestTokens.Header(signingKey);
        header["kid"] = kid;
        await AssertRefused(Sign(header));

        // The classic kid=/dev/null attack: an HMAC with an empty secret.
        var hmacHeader = new JsonObject { ["alg"] = "HS256", ["kid"] = kid, ["typ"] = "at+jwt" };
        await AssertRefused(TestTokens.HmacSign(hmacHeader.ToJsonString(), Claims(), []));
    }

    [Theory]
    [InlineData("jwk")]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("x5c")]
    public async Task A_header_bringing_an_attackers_key_is_refused_and_never_followed(string member)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/keys";

        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var attackerPem = attacker.ExportPkcs8PrivateKeyPem();
        var attackerKey = TestTokens.Read(attackerPem);
        var attackerJwk = JsonNode.Parse(PublicJwkOf(attackerKey))!;
        using var certificate = new CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        foreach (var kid in new[] { attackerKey.KeyId, _keyId })
        {
            var header = new JsonObject { ["alg"] = "ES256", ["kid"] = kid, ["typ"] = "at+jwt" };
            header[member] = member switch
            {
                "jwk" => attackerJwk.DeepClone(),
                "x5c" => new JsonArray(Convert.ToBase64String(certificate.RawData)),
                _ => url,
            };
            await AssertRefused(TestTokens.SignWith(header.ToJsonString(), Claims(), attackerKey.SecurityKey, "ES256"));

            // The same header on a token the real key signed is refused too: FuncAuth writes no such header.
            var genuine = TestTokens.Header(signingKey);
            genuine[member] = header[member]!.DeepClone();
            await AssertRefused(Sign(genuine));
        }

        Assert.False(listener.Pending(), $"FuncAuth followed the {member} header.");
    }

    private static string PublicJwkOf(FuncAuth.Tokens.SigningKey key) =>
        new JsonObject { ["kty"] = key.PublicKey!.Kty, ["crv"] = key.PublicKey.Crv, ["x"] = key.PublicKey.X, ["y"] = key.PublicKey.Y }.ToJsonString();

    private static string Claims() => TestTokens.Claims(DateTimeOffset.UtcNow).ToJsonString();

    private string Sign(JsonObject header) => TestTokens.Sign(header.ToJsonString(), Claims(), signingKey);

    private async Task AssertRefused(string token)
    {
        using var response = await Client.VerifyAsync(token);
        Expect.Challenged(response, "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
    }
}

public sealed class KeyConfusionTestsEs256(StorageFixture storage) : KeyConfusionTests(storage, TestKeys.Es256);

public sealed class KeyConfusionTestsRs256(StorageFixture storage) : KeyConfusionTests(storage, TestKeys.Rs256);
