using System.Buffers.Text;
using System.Security.Cryptography;
using FuncAuth.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>Issues signed access tokens (RFC 7519) for authenticated users, and for service clients acting on their own behalf.</summary>
internal sealed class TokenIssuer(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>Explicit typing (RFC 8725 §3.11, RFC 9068): an access token cannot pass for another kind of JWT.</summary>
    public const string TokenType = "at+jwt";

    public const string UsernameClaim = "username";

    /// <summary>The session a token belongs to (OpenID Connect's <c>sid</c>), for tokens issued within one.</summary>
    public const string SessionIdClaim = "sid";

    /// <summary>RFC 9068 §2.2.3: the scopes granted to a registered client.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>RFC 9068 §2.2: the registered client the token was issued to.</summary>
    public const string ClientIdClaim = "client_id";

    /// <summary>RFC 8176: how the user signed in (a JSON array of method names).</summary>
    public const string MethodsClaim = "amr";

    /// <summary>
    /// The user's roles (a JSON array of role names, see <see cref="Accounts.Roles"/>), omitted when the user has none. The
    /// name is the one RFC 9068 §2.2.3.1 (after SCIM) and Entra ID use, so ASP.NET Core reads it with <c>RoleClaimType = "roles"</c>.
    /// </summary>
    public const string RolesClaim = "roles";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token outside any session (benchmarks and tests; logins always start a session).</summary>
    public IssuedToken Issue(UserAccount account) => Issue(account.Id, account.Username, sessionId: null, notAfter: null, roles: account.RoleNames);

    /// <summary>
    /// A token for the user, naming the session it belongs to; it never outlives <paramref name="notAfter"/>
    /// (the session's absolute expiry), so ending a session by its lifetime ends its tokens too. <paramref name="roles"/> are
    /// the user's roles as the account was last read (at sign-in or at this refresh), never as a session row remembers them.
    /// </summary>
    public IssuedToken Issue(
        string subject, string username, string? sessionId, DateTimeOffset? notAfter, string? clientId = null, string? scope = null,
        IReadOnlyList<string>? methods = null, IReadOnlyList<string>? roles = null)
    {
        var settings = options.Value;

        // Whole seconds: JWT times are NumericDate seconds, and exp - iat then equals expires_in exactly.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + settings.AccessTokenLifetime;
        if (notAfter is { } limit && limit < expires)
        {
            expires = DateTimeOffset.FromUnixTimeSeconds(Math.Max(limit.ToUnixTimeSeconds(), now.ToUnixTimeSeconds() + 1));
        }

        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [UsernameClaim] = username,
            [JwtRegisteredClaimNames.Jti] = NewTokenId(),
        };
        if (sessionId is not null)
        {
            claims[SessionIdClaim] = sessionId;
        }

        if (clientId is not null)
        {
            claims[ClientIdClaim] = clientId;
        }

        if (scope is not null)
        {
            claims[ScopeClaim] = scope;
        }

        if (methods is { Count: > 0 })
        {
            claims[MethodsClaim] = methods.ToArray();
        }

        if (roles is { Count: > 0 })
        {
            claims[RolesClaim] = roles.ToArray();
        }

        return Sign(claims, now, expires);
    }

    /// <summary>
    /// A service client's token (the client credentials grant, RFC 6749 §4.4): <c>sub</c> and <c>client_id</c> are the
    /// client's id, <c>scope</c> what was granted; no <c>username</c>, no <c>sid</c>, no <c>roles</c>, no <c>amr</c>.
    /// </summary>
    public IssuedToken IssueForClient(string clientId, string scope)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        var settings = options.Value;
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expires = now + settings.AccessTokenLifetime;

        // sub = client_id is what tells a verifier (and AccessTokenValidator) that no user is behind the token: RFC 9068
        // §2.2 makes sub the client's own id when "the client is acting on its own behalf".
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = clientId,
            [ClientIdClaim] = clientId,
            [ScopeClaim] = scope,
            [JwtRegisteredClaimNames.Jti] = NewTokenId(),
        };
        return Sign(claims, now, expires);
    }

    /// <summary>An access token of these claims: FuncAuth's type, issuer, audience and signing key, valid from now to expires.</summary>
    private IssuedToken Sign(Dictionary<string, object> claims, DateTimeOffset now, DateTimeOffset expires)
    {
        var settings = options.Value;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = keys.SigningCredentials,
            Claims = claims,
        };

        return new IssuedToken(Handler.CreateToken(descriptor), expires - now);
    }

    /// <summary>128 random bits, base64url: unguessable, and safe as a Table Storage key.</summary>
    private static string NewTokenId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
