using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

internal enum TokenRejection
{
    Invalid,
    Expired,
}

/// <summary>The outcome of validating a token: its claims, or why it was refused.</summary>
internal sealed record TokenValidation(AccessToken? Token, TokenRejection? Rejection)
{
    public static TokenValidation Accepted(AccessToken token) => new(token, null);

    public static TokenValidation Rejected(TokenRejection rejection) => new(null, rejection);
}

/// <summary>
/// Validates FuncAuth access tokens: the algorithm, key, type, issuer, audience and lifetime are pinned,
/// <c>exp</c> is required, and <c>alg: none</c> or any algorithm but the configured one never passes.
/// Revocation is checked apart from this (see the revocation list): it needs storage, this does not.
/// </summary>
internal sealed partial class AccessTokenValidator
{
    /// <summary>A FuncAuth token is a few hundred bytes; anything far larger is not one of ours.</summary>
    public const int MaxTokenLength = 4096;

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly TokenValidationParameters _parameters;
    private readonly string _audience;

    public AccessTokenValidator(ISigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _audience = settings.Audience;
        _parameters = new TokenValidationParameters
        {
            ValidAlgorithms = keys.Algorithms,
            IssuerSigningKeys = keys.ValidationKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            ValidTypes = [TokenIssuer.TokenType],
            ValidIssuer = settings.Issuer,
            ValidateIssuer = true,
            ValidAudience = settings.Audience,
            ValidateAudience = true,
            RequireAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => ValidateLifetime(notBefore, expires, parameters.ClockSkew, time),
            TryAllIssuerSigningKeys = true,
            LogValidationExceptions = false,
        };
    }

    public async Task<TokenValidation> ValidateAsync(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return TokenValidation.Rejected(TokenRejection.Invalid);
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            // The signature is checked before the lifetime, so only a token we signed is ever called expired:
            // "expired" tells a forger nothing.
            return TokenValidation.Rejected(
                result.Exception is SecurityTokenExpiredException ? TokenRejection.Expired : TokenRejection.Invalid);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        return TryReadClaims(jwt, out var accessToken)
            ? TokenValidation.Accepted(accessToken!)
            : TokenValidation.Rejected(TokenRejection.Invalid);
    }

    // The library's own lifetime check reads the system clock; this one reads the injected TimeProvider
    // (so expiry can be tested), with the same rules: exp required, both bounds widened by the skew.
    private static bool ValidateLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (expires.Value.Add(skew) < now)
        {
            throw new SecurityTokenExpiredException("The token expired.") { Expires = expires.Value };
        }

        if (notBefore is { } nbf && nbf.Subtract(skew) > now)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = nbf };
        }

        return true;
    }

    private bool TryReadClaims(JsonWebToken jwt, out AccessToken? token)
    {
        token = null;
        if (!jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || jti is null || !TokenId().IsMatch(jti)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Sub, out var sub) || string.IsNullOrEmpty(sub)
            || !jwt.TryGetPayloadValue<string>(TokenIssuer.UsernameClaim, out var username) || string.IsNullOrEmpty(username)
            || !jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat))
        {
            return false;
        }

        token = new AccessToken(
            jti,
            sub,
            username,
            jwt.Issuer,
            _audience,
            DateTimeOffset.FromUnixTimeSeconds(iat),
            new DateTimeOffset(jwt.ValidFrom, TimeSpan.Zero),
            new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return true;
    }

    // The token ids FuncAuth issues: 16 random bytes, base64url (22 characters).
    [GeneratedRegex("^[A-Za-z0-9_-]{22}$")]
    private static partial Regex TokenId();
}
