using System.Buffers.Text;
using System.Text.Json;
using FuncAuth.Accounts;
using FuncAuth.Authorization;
using FuncAuth.Sessions;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.OpenIdConnect;

/// <summary>
/// ID tokens (OpenID Connect Core §2), signed by the active key; and reading one back as an <c>id_token_hint</c>. An ID
/// token is typed <c>JWT</c> and its audience is the client, so it never passes for an access token (which must be
/// <c>at+jwt</c> with the configured audience, RFC 9068 §4); and an access token never passes for an ID token here.
/// </summary>
internal sealed class IdTokens(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>The <c>typ</c> of ID tokens: what OIDC client libraries expect (RFC 7519 §5.1), never <c>at+jwt</c>.</summary>
    public const string TokenType = "JWT";

    public const string Scope = "openid";
    public const string ProfileScope = "profile";
    public const string EmailScope = "email";
    public const string OfflineAccessScope = "offline_access";

    /// <summary>The claims an ID token can carry, for discovery's <c>claims_supported</c>.</summary>
    public static readonly string[] Claims =
    [
        "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "sid", "amr", "preferred_username", "email", "email_verified",
        TokenIssuer.RolesClaim,
    ];

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The ID token for a redeemed code: <c>aud</c> the client, <c>sid</c> the browser session.</summary>
    public string Issue(AuthorizationGrant grant, Session clientSession) => Issue(grant, clientSession, account: null);

    /// <summary>
    /// The ID token for a redeemed code: <c>aud</c> and <c>azp</c> the client, <c>sid</c> the browser session (what
    /// end-session ends), <c>preferred_username</c> with the <c>profile</c> scope, <c>email</c> and <c>email_verified</c>
    /// with the <c>email</c> scope when <paramref name="account"/> has an address; <c>roles</c> when the account (as the code
    /// exchange read it, like the access token beside it) has any, whatever the scope: they are what the user is, not
    /// profile data a scope releases.
    /// </summary>
    public string Issue(AuthorizationGrant grant, Session clientSession, UserAccount? account)
    {
        // OIDC needs a key a client can check without the secret: start-up refuses clients with an HS256-only key.
        if (keys.Active.PublicKey is null)
        {
            throw new InvalidOperationException("ID tokens need an asymmetric signing key (ES256 or RS256); start-up validation should have refused this configuration.");
        }

        var settings = options.Value;
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + settings.AccessTokenLifetime;
        var scopes = grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = grant.UserId,
            [JwtRegisteredClaimNames.Azp] = grant.ClientId,
            [JwtRegisteredClaimNames.AuthTime] = grant.AuthTime.ToUnixTimeSeconds(),
            [TokenIssuer.SessionIdClaim] = clientSession.BrowserSessionId ?? grant.BrowserSessionId,
            ["amr"] = grant.Methods.ToArray(),
        };
        if (account?.RoleNames is { Count: > 0 } roles)
        {
            claims[TokenIssuer.RolesClaim] = roles.ToArray();
        }

        if (grant.Nonce is not null)
        {
            claims[JwtRegisteredClaimNames.Nonce] = grant.Nonce;
        }

        if (scopes.Contains(ProfileScope, StringComparer.Ordinal))
        {
            claims["preferred_username"] = account?.Username ?? grant.Username;
        }

        if (scopes.Contains(EmailScope, StringComparer.Ordinal) && account?.Email is { } email)
        {
            claims[JwtRegisteredClaimNames.Email] = email;
            claims["email_verified"] = account.EmailConfirmed;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = settings.Issuer,
            Audience = grant.ClientId,
            IssuedAt = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.SigningCredentials,
            Claims = claims,
        });
    }

    /// <summary>
    /// An ID token FuncAuth issued (signature, issuer and type checked; expiry not, as RP-Initiated Logout allows), or
    /// null when it is not one. The header may carry only <c>alg</c>, <c>kid</c> and <c>typ</c>; the key is chosen by
    /// <c>kid</c> among ours, must be asymmetric, and the algorithm must be that key's (RFC 8725 §3.1).
    /// </summary>
    public IdTokenHint? ReadHint(string idTokenHint)
    {
        if (string.IsNullOrEmpty(idTokenHint) || idTokenHint.Length > AccessTokenValidator.MaxTokenLength)
        {
            return null;
        }

        var parts = idTokenHint.Split('.');
        if (parts.Length != 3 || Json(parts[0]) is not { } header || Json(parts[1]) is not { } payload)
        {
            return null;
        }

        using (header)
        using (payload)
        {
            var h = header.RootElement;
            var p = payload.RootElement;
            if (h.ValueKind != JsonValueKind.Object || p.ValueKind != JsonValueKind.Object
                || h.EnumerateObject().Any(m => m.Name is not ("alg" or "kid" or "typ"))
                || String(h, "typ") != TokenType
                || String(h, "kid") is not { } kid || !keys.TryFind(kid, out var key) || key!.PublicKey is null
                || String(h, "alg") != key.Algorithm
                || String(p, "iss") != options.Value.Issuer
                || String(p, "sub") is not { } subject
                || String(p, "aud") is not { } audience
                || String(p, "azp") is { } azp && azp != audience
                || !key.HasSigned(idTokenHint))
            {
                return null;
            }

            return new IdTokenHint(subject, audience, String(p, TokenIssuer.SessionIdClaim));
        }
    }

    private static JsonDocument? Json(string part)
    {
        try
        {
            return part.Length > 0 && Base64Url.IsValid(part) ? JsonDocument.Parse(Base64Url.DecodeFromChars(part)) : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}

/// <summary>What an <c>id_token_hint</c> says: whose it is, which client it was issued to, which browser session.</summary>
internal sealed record IdTokenHint(string Subject, string ClientId, string? SessionId);
