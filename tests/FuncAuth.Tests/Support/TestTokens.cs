using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tests.Support;

/// <summary>
/// Compact JWS built byte by byte, so tests can sign exactly the header and payload they mean (odd types,
/// extra headers, trailing bytes) with a real key, independently of the library FuncAuth validates with.
/// </summary>
public static class TestTokens
{
    /// <summary>The header FuncAuth writes for <paramref name="signingKey"/>: its alg, its kid, <c>at+jwt</c>.</summary>
    public static JsonObject Header(string signingKey)
    {
        var key = Read(signingKey);
        return new JsonObject { ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = "at+jwt" };
    }

    /// <summary>The claims of a good token, issued <paramref name="now"/> for five minutes.</summary>
    public static JsonObject Claims(DateTimeOffset now, string issuer = FuncAuthApp.Issuer, string audience = FuncAuthApp.Audience)
    {
        var seconds = now.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = Guid.NewGuid().ToString(),
            ["username"] = "mallory",
            ["jti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["iat"] = seconds,
            ["nbf"] = seconds,
            ["exp"] = seconds + 300,
        };
    }

    public static string Sign(JsonObject header, JsonObject payload, string signingKey) =>
        Sign(header.ToJsonString(), payload.ToJsonString(), signingKey);

    /// <summary>Signs the two JSON texts as they are, with the key's own algorithm.</summary>
    public static string Sign(string header, string payload, string signingKey) =>
        SignWith(header, payload, Read(signingKey).SecurityKey, Read(signingKey).Algorithm);

    /// <summary>Signs with any key and algorithm, whatever the header says: for forgeries.</summary>
    public static string SignWith(string header, string payload, SecurityKey key, string algorithm)
    {
        var input = $"{Encode(header)}.{Encode(payload)}";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = (key, algorithm) switch
        {
            (SymmetricSecurityKey symmetric, SecurityAlgorithms.HmacSha256) => HMACSHA256.HashData(symmetric.Key, data),
            (ECDsaSecurityKey ec, SecurityAlgorithms.EcdsaSha256) => ec.ECDsa.SignData(data, HashAlgorithmName.SHA256),
            (RsaSecurityKey rsa, SecurityAlgorithms.RsaSha256) => rsa.Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException($"No signing for {algorithm} with {key.GetType().Name}."),
        };
        return $"{input}.{Base64Url.EncodeToString(signature)}";
    }

    public static string HmacSign(string header, string payload, byte[] secret)
    {
        var input = $"{Encode(header)}.{Encode(payload)}";
        return $"{input}.{Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static JsonObject HeaderOf(string token) => Part(token, 0);

    public static JsonObject PayloadOf(string token) => Part(token, 1);

    internal static SigningKey Read(string signingKey) =>
        SigningKeyReader.TryRead(signingKey, out var error) ?? throw new ArgumentException(error, nameof(signingKey));

    private static JsonObject Part(string token, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[index]))!.AsObject();
}
