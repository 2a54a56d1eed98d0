using System.Text.Json.Serialization;

namespace FuncAuth.Http;

/// <summary>201 from register.</summary>
public sealed record AccountCreated(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string Username);

/// <summary>200 from login: an RFC 6749 §5.1 access token response.</summary>
public sealed record AccessTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn);

/// <summary>200 from verify: the token's claims in the style of RFC 7662 token introspection.</summary>
public sealed record TokenIntrospection(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("nbf")] long NotBefore,
    [property: JsonPropertyName("exp")] long Expires,
    [property: JsonPropertyName("jti")] string TokenId,
    [property: JsonPropertyName("token_type")] string TokenType);

/// <summary>200 from health.</summary>
public sealed record HealthStatus([property: JsonPropertyName("status")] string Status);
