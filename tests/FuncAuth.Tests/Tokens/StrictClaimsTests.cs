using System.Net;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Tokens;

/// <summary>
/// Tokens signed with the real key that are still not FuncAuth access tokens (RFC 7515, RFC 7519, RFC 8725,
/// RFC 9068): each is refused with 401, while the RFC 9068 spellings of the type are accepted.
/// </summary>
public abstract class StrictClaimsTests(StorageFixture storage, string signingKey)
    : AppTests(new FuncAuthApp(storage.ConnectionString, TestKeys.Active(signingKey)))
{
    private const long FifteenMinutesAndSkew = (15 * 60) + 30;

    public static TheoryData<string> Refused() =>
    [
        "crit header", "trailing bytes after the payload", "a second JSON value after the payload", "a duplicate claim",
        "exp as a numeric string", "nbf as a numeric string", "iat as a numeric string", "exp as a boolean",
        "sub as a number", "jti as a number", "sub as an array", "empty sub",
        "nbf after exp", "iat after exp", "a lifetime longer than configured", "iat in the future",
        "no nbf", "no iat", "no exp", "no jti", "no sub", "no username", "a payload that is an array",
        "amr as a string", "amr as an empty array", "amr with a number", "amr with an empty string",

        // Only a service client's token lacks a username: client_id equal to sub, and nothing of a user's sign-in.
        "no username, client_id another than sub", "no username, no client_id", "no username, client_id = sub, with sid",
        "no username, client_id = sub, with amr", "no username, client_id = sub, with roles", "an empty username, client_id = sub",
    ];

    public static TheoryData<string> Accepted() =>
        ["unchanged", "typ application/at+jwt", "typ AT+JWT", "typ Application/At+Jwt", "fractional NumericDates", "exactly the configured lifetime plus skew", "amr as an array of strings",
            "no username, client_id = sub (a service client)"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Is_refused(string change)
    {
        using var response = await Client.VerifyAsync(Token(change));
        Expect.Challenged(response, "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Is_accepted(string change)
    {
        using var response = await Client.VerifyAsync(Token(change));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private string Token(string change)
    {
        var header = TestTokens.Header(signingKey);
        var claims = TestTokens.Claims(DateTimeOffset.UtcNow);
        var iat = claims["iat"]!.GetValue<long>();
        string? payload = null;
        switch (change)
        {
            case "unchanged": break;
            case "crit header": header["crit"] = new JsonArray("exp"); break;
            case "trailing bytes after the payload": payload = claims.ToJsonString() + "x"; break;
            case "a second JSON value after the payload": payload = claims.ToJsonString() + "{}"; break;
            case "a duplicate claim": payload = claims.ToJsonString()[..^1] + ",\"sub\":\"someone-else\"}"; break;
            case "exp as a numeric string": claims["exp"] = claims["exp"]!.ToString(); break;
            case "nbf as a numeric string": claims["nbf"] = claims["nbf"]!.ToString(); break;
            case "iat as a numeric string": claims["iat"] = claims["iat"]!.ToString(); break;
            case "exp as a boolean": claims["exp"] = true; break;
            case "sub as a number": claims["sub"] = 42; break;
            case "jti as a number": claims["jti"] = 1234567890123456789; break;
            case "sub as an array": claims["sub"] = new JsonArray("a", "b"); break;
            case "empty sub": claims["sub"] = string.Empty; break;
            case "nbf after exp": claims["nbf"] = claims["exp"]!.GetValue<long>() + 1; break;
            case "iat after exp": claims["iat"] = claims["exp"]!.GetValue<long>() + 1; claims["nbf"] = iat; break;
            case "a lifetime longer than configured": claims["iat"] = iat - 600; claims["exp"] = iat - 600 + FifteenMinutesAndSkew + 1; break;
            case "exactly the configured lifetime plus skew": claims["iat"] = iat - 600; claims["exp"] = iat - 600 + FifteenMinutesAndSkew; break;
            case "iat in the future": claims["iat"] = iat + 120; break;
            case "no nbf": claims.Remove("nbf"); break;
            case "no iat": claims.Remove("iat"); break;
            case "no exp": claims.Remove("exp"); break;
            case "no jti": claims.Remove("jti"); break;
            case "no sub": claims.Remove("sub"); break;
            case "no username": claims.Remove("username"); break;
            case "a payload that is an array": payload = new JsonArray(claims.DeepClone()).ToJsonString(); break;
            case "typ application/at+jwt": header["typ"] = "application/at+jwt"; break;
            case "typ AT+JWT": header["typ"] = "AT+JWT"; break;
            case "typ Application/At+Jwt": header["typ"] = "Application/At+Jwt"; break;
            case "fractional NumericDates": claims["iat"] = iat + 0.25; claims["nbf"] = iat + 0.25; claims["exp"] = iat + 299.75; break;
            case "amr as an array of strings": claims["amr"] = new JsonArray("pwd", "otp", "mfa"); break;
            case "amr as a string": claims["amr"] = "pwd"; break;
            case "amr as an empty array": claims["amr"] = new JsonArray(); break;
            case "amr with a number": claims["amr"] = new JsonArray("pwd", 1); break;
            case "amr with an empty string": claims["amr"] = new JsonArray("pwd", string.Empty); break;
            case "no username, client_id = sub (a service client)": AsServiceClient(claims); break;
            case "no username, client_id another than sub": AsServiceClient(claims); claims["client_id"] = "another-client"; break;
            case "no username, no client_id": AsServiceClient(claims); claims.Remove("client_id"); break;
            case "no username, client_id = sub, with sid": AsServiceClient(claims); claims["sid"] = "a-session"; break;
            case "no username, client_id = sub, with amr": AsServiceClient(claims); claims["amr"] = new JsonArray("pwd"); break;
            case "no username, client_id = sub, with roles": AsServiceClient(claims); claims["roles"] = new JsonArray("funcauth-admin"); break;
            case "an empty username, client_id = sub": AsServiceClient(claims); claims["username"] = string.Empty; break;
            default: throw new ArgumentException(change);
        }

        return TestTokens.Sign(header.ToJsonString(), payload ?? claims.ToJsonString(), signingKey);
    }

    /// <summary>The claims of a client credentials token: sub = client_id, a scope, no username.</summary>
    private static void AsServiceClient(JsonObject claims)
    {
        claims.Remove("username");
        claims["sub"] = "orders-service";
        claims["client_id"] = "orders-service";
        claims["scope"] = "orders.read";
    }
}

public sealed class StrictClaimsTestsHs256(StorageFixture storage) : StrictClaimsTests(storage, TestKeys.Hs256);

public sealed class StrictClaimsTestsEs256(StorageFixture storage) : StrictClaimsTests(storage, TestKeys.Es256);
