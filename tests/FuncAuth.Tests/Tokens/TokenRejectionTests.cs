using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Tokens;

/// <summary>Every way a token can be wrong is refused with an RFC 6750 challenge that says which; for each kind of key.</summary>
public abstract class TokenRejectionTests(StorageFixture storage, string signingKey)
    : AppTests(new FuncAuthApp(storage.ConnectionString, TestKeys.Active(signingKey)) { Time = new FakeTimeProvider(DateTimeOffset.UtcNow) })
{
    private const string Invalid = "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"";
    private const string Expired = "Bearer error=\"invalid_token\", error_description=\"The access token expired.\"";

    private string _token = null!;

    private FakeTimeProvider Time => App.Time!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _token = await Client.RegisterAndLoginAsync(AuthClient.NewUsername());
    }

    [Fact]
    public async Task An_expired_token_is_refused_as_expired()
    {
        using (var fresh = await Client.VerifyAsync(_token))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // Past the 15 minute lifetime but inside the 30 s clock skew: still accepted.
        Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(20));
        using (var inSkew = await Client.VerifyAsync(_token))
        {
            Assert.Equal(HttpStatusCode.OK, inSkew.StatusCode);
        }

        Time.Advance(TimeSpan.FromSeconds(20));
        using var expired = await Client.VerifyAsync(_token);
        Expect.Challenged(expired, Expired);

        using var logout = await Client.LogoutAsync(_token);
        Assert.Equal(HttpStatusCode.Unauthorized, logout.StatusCode);
    }

    [Fact]
    public Task A_token_not_valid_yet_is_refused() => AssertInvalid(Mint(notBefore: TimeSpan.FromMinutes(2)));

    [Fact]
    public Task A_tampered_payload_is_refused() => AssertInvalid(ReplacePayload(_token, p => p["sub"] = Guid.NewGuid().ToString()));

    [Fact]
    public Task A_tampered_signature_is_refused()
    {
        var parts = _token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[0] ^= 0x01;
        return AssertInvalid($"{parts[0]}.{parts[1]}.{Base64Url.EncodeToString(signature)}");
    }

    [Fact]
    public Task A_signature_of_the_wrong_length_is_refused() => AssertInvalid(_token + "AAAA");

    [Fact]
    public Task Invalid_UTF8_inside_a_claim_is_refused()
    {
        var parts = _token.Split('.');
        var payload = Base64Url.DecodeFromChars(parts[1]);
        var at = Array.IndexOf(payload, (byte)'u'); // inside "username" or its value: a string either way
        payload[at] = 0xFF;
        return AssertInvalid($"{parts[0]}.{Base64Url.EncodeToString(payload)}.{parts[2]}");
    }

    [Fact]
    public Task A_token_without_its_signature_is_refused() => AssertInvalid(_token[..(_token.LastIndexOf('.') + 1)]);

    [Fact]
    public Task Alg_none_is_refused()
    {
        var parts = _token.Split('.');
        var header = Encode(new JsonObject { ["alg"] = "none", ["typ"] = "at+jwt" });
        return AssertInvalid($"{header}.{parts[1]}.");
    }

    [Fact]
    public Task An_unexpected_algorithm_is_refused()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return AssertInvalid(Mint(credentials: new SigningCredentials(new ECDsaSecurityKey(ecdsa), SecurityAlgorithms.EcdsaSha256)));
    }

    [Fact]
    public Task A_token_signed_with_another_key_is_refused()
    {
        // Another key of the same kind, under our key's kid.
        var other = TestTokens.Read(signingKey).Algorithm switch
        {
            "ES256" => TestKeys.NewEs256(),
            "RS256" => TestKeys.NewRs256(),
            _ => Convert.ToBase64String(Encoding.UTF8.GetBytes("another-key-of-at-least-32-bytes!!")),
        };
        var forged = TestTokens.Read(other);
        return AssertInvalid(TestTokens.SignWith(
            TestTokens.Header(signingKey).ToJsonString(), TestTokens.Claims(Time.GetUtcNow()).ToJsonString(), forged.SecurityKey, forged.Algorithm));
    }

    [Fact]
    public Task A_wrong_issuer_is_refused() => AssertInvalid(Mint(issuer: "https://evil.example"));

    [Fact]
    public Task A_wrong_audience_is_refused() => AssertInvalid(Mint(audience: "another-api"));

    [Fact]
    public Task A_token_of_another_type_is_refused() => AssertInvalid(Mint(type: "JWT"));

    [Fact]
    public Task A_token_without_expiry_is_refused() => AssertInvalid(Mint(expires: false));

    [Fact]
    public async Task A_token_minted_the_way_the_tests_mint_passes()
    {
        // The control for the tests above: Mint with no changes is a token FuncAuth accepts.
        using var verified = await Client.VerifyAsync(Mint());
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.")]
    public Task Garbage_is_refused(string token) => AssertInvalid(token);

    [Fact]
    public Task An_oversized_token_is_refused() => AssertInvalid(_token + new string('A', 5000));

    [Fact]
    public async Task No_token_gets_a_bare_challenge()
    {
        foreach (var path in new[] { "api/auth/verify", "api/auth/logout" })
        {
            using var response = await Client.PostAsync(path, null);
            Expect.Challenged(response, "Bearer");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private async Task AssertInvalid(string token)
    {
        foreach (var send in new Func<Task<HttpResponseMessage>>[] { () => Client.VerifyAsync(token), () => Client.LogoutAsync(token) })
        {
            using var response = await send();
            Expect.Challenged(response, Invalid);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // A refused token never revokes anything: the genuine one still works.
        using var genuine = await Client.VerifyAsync(_token);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    private string Mint(
        string issuer = FuncAuthApp.Issuer,
        string audience = FuncAuthApp.Audience,
        SigningCredentials? credentials = null,
        string type = "at+jwt",
        bool expires = true,
        TimeSpan notBefore = default)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = type,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now + notBefore,
            Expires = expires ? now.AddMinutes(5) : null,
            SigningCredentials = credentials
                ?? new SigningCredentials(TestTokens.Read(signingKey).SecurityKey, TestTokens.Read(signingKey).Algorithm),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["username"] = "mallory",
                ["jti"] = Base64Url.EncodeToString(Guid.NewGuid().ToByteArray()),
            },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static string ReplacePayload(string token, Action<JsonObject> change)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        change(payload);
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}

public sealed class TokenRejectionTestsHs256(StorageFixture storage) : TokenRejectionTests(storage, TestKeys.Hs256);

public sealed class TokenRejectionTestsEs256(StorageFixture storage) : TokenRejectionTests(storage, TestKeys.Es256);

public sealed class TokenRejectionTestsRs256(StorageFixture storage) : TokenRejectionTests(storage, TestKeys.Rs256);
