using System.Text.Json.Serialization;

namespace FuncAuth.Http;

/// <summary>201 from register.</summary>
public sealed record AccountCreated(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string Username);

/// <summary>
/// 200 from login and the token endpoint: an RFC 6749 §5.1 access token response. The authorization_code grant adds the
/// <c>id_token</c> (OpenID Connect Core §3.1.3.3) and the granted <c>scope</c>, and has a <c>refresh_token</c> only when
/// <c>offline_access</c> was granted.
/// </summary>
public sealed record AccessTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("id_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdToken = null,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope = null);

/// <summary>
/// 400 from the token and revocation endpoints: an RFC 6749 §5.2 error response. The password grant's 403
/// <c>mfa_required</c> carries <see cref="MfaToken"/> besides (as Auth0's does), for the mfa grant.
/// </summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("mfa_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull),
        System.ComponentModel.Description("Only with error mfa_required: the token that, with a code, completes the sign-in (grant_type=urn:funcauth:grant-type:mfa); single use, 5 minutes.")]
    string? MfaToken = null);

/// <summary>200 from <c>GET api/auth/sessions</c>: the caller's active sessions, newest first.</summary>
public sealed record SessionList([property: JsonPropertyName("sessions")] IReadOnlyList<SessionSummary> Sessions);

/// <summary>One active session. Times are RFC 3339, UTC; <c>expires_at</c> is when it ends unless it is used again.</summary>
public sealed record SessionSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset LastUsedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("current")] bool Current);

/// <summary>
/// 200 from verify: the token's claims in the style of RFC 7662 token introspection. A user's token has <c>username</c>;
/// a service client's (the client credentials grant) has none, and its <c>sub</c> is its <c>client_id</c>.
/// </summary>
public sealed record TokenIntrospection(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username,
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("aud")] string Audience,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("nbf")] long NotBefore,
    [property: JsonPropertyName("exp")] long Expires,
    [property: JsonPropertyName("jti")] string TokenId,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("sid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SessionId = null,
    [property: JsonPropertyName("amr"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Methods = null,
    [property: JsonPropertyName("client_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientId = null,
    [property: JsonPropertyName("scope"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Scope = null,
    [property: JsonPropertyName("roles"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Roles = null);

/// <summary>200 from health.</summary>
public sealed record HealthStatus([property: JsonPropertyName("status")] string Status);
