using System.Buffers.Text;
using System.Security.Cryptography;
using FuncAuth.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>Issues signed access tokens (RFC 7519) for authenticated users.</summary>
internal sealed class TokenIssuer(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>Explicit typing (RFC 8725 §3.11, RFC 9068): an access token cannot pass for another kind of JWT.</summary>
    public const string TokenType = "at+jwt";

    public const string UsernameClaim = "username";

    /// <summary>The session a token belongs to (OpenID Connect's <c>sid</c>), for tokens issued within one.</summary>
    public const string SessionIdClaim = "sid";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedToken Issue(UserAccount account)
    {
        var settings = options.Value;

        // Whole seconds: JWT times are NumericDate seconds, and exp - iat then equals expires_in exactly.
        var now = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()).UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.AccessTokenLifetime,
            SigningCredentials = keys.SigningCredentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = account.Id,
                [UsernameClaim] = account.Username,
                [JwtRegisteredClaimNames.Jti] = NewTokenId(),
            },
        };

        return new IssuedToken(Handler.CreateToken(descriptor), settings.AccessTokenLifetime);
    }

    /// <summary>128 random bits, base64url: unguessable, and safe as a Table Storage key.</summary>
    private static string NewTokenId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
