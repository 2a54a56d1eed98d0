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
/// Validates FuncAuth access tokens. The token's <c>kid</c> selects one configured key and its <c>alg</c> must
/// be that key's algorithm (RFC 8725 §2.1, §3.1: an HS256 token "signed" with a published public key never
/// passes); no header ever points at a key. The signature, type, issuer and audience are checked by
/// <see cref="JsonWebTokenHandler"/>; the shape of the token and its times are checked strictly here.
/// Revocation is checked apart from this (see the revocation list): it needs storage, this does not.
/// </summary>
internal sealed partial class AccessTokenValidator
{
    /// <summary>A FuncAuth token is well under 1 KiB; anything far larger is not one of ours.</summary>
    public const int MaxTokenLength = 4096;

    private static readonly TokenValidation Invalid = TokenValidation.Rejected(TokenRejection.Invalid);

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly SigningKeys _keys;
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;
    private readonly TimeSpan _maxLifetime;

    public AccessTokenValidator(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _keys = keys;
        _time = time;
        _skew = settings.ClockSkew;
        _maxLifetime = settings.AccessTokenLifetime + settings.ClockSkew;
        _parameters = new TokenValidationParameters
        {
            // The key is the one the kid names, or none: never "try them all", never a key from the token.
            IssuerSigningKeyResolver = (_, _, kid, _) => kid is not null && keys.TryFind(kid, out var key) ? [key!.SecurityKey] : [],
            TryAllIssuerSigningKeys = false,
            AlgorithmValidator = (algorithm, key, _, _) => key?.KeyId is { } kid && keys.TryFind(kid, out var found) && found!.Algorithm == algorithm,
            RequireSignedTokens = true,
            TypeValidator = (type, _, _) => IsAccessTokenType(type) ? type : throw new SecurityTokenInvalidTypeException("Not an access token."),
            ValidIssuer = settings.Issuer,
            ValidateIssuer = true,
            ValidAudience = settings.Audience,
            ValidateAudience = true,
            RequireAudience = true,

            // Times are checked below against the injected clock, with stricter rules than the library's.
            ValidateLifetime = false,
            ValidateIssuerSigningKey = false,
            LogValidationExceptions = false,
        };
    }

    /// <summary>RFC 9068 §4: <c>at+jwt</c>, or its full media type <c>application/at+jwt</c>, in any letter case.</summary>
    public static bool IsAccessTokenType(string? type) =>
        string.Equals(type, TokenIssuer.TokenType, StringComparison.OrdinalIgnoreCase)
        || string.Equals(type, "application/" + TokenIssuer.TokenType, StringComparison.OrdinalIgnoreCase);

    public async Task<TokenValidation> ValidateAsync(string token)
    {
        if (token.Length > MaxTokenLength || TokenContents.TryRead(token) is not { } contents)
        {
            return Invalid;
        }

        // Refused before any cryptography: a kid we do not hold, or an alg that is not its key's.
        if (!_keys.TryFind(contents.KeyId, out var key) || key!.Algorithm != contents.Algorithm
            || !TokenId().IsMatch(contents.TokenId))
        {
            return Invalid;
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            return Invalid;
        }

        // Only a token we signed gets this far, so "expired" tells a forger nothing.
        return CheckTimes(contents) is { } rejection
            ? TokenValidation.Rejected(rejection)
            : TokenValidation.Accepted(new AccessToken(
                contents.TokenId,
                contents.Subject,
                contents.Username,
                contents.Issuer,
                contents.Audience,
                contents.IssuedAt,
                contents.NotBefore,
                contents.Expires));
    }

    private TokenRejection? CheckTimes(TokenContents contents)
    {
        var now = _time.GetUtcNow();
        var consistent = contents.NotBefore <= contents.Expires
            && contents.IssuedAt <= contents.Expires
            && contents.Expires - contents.IssuedAt <= _maxLifetime
            && contents.NotBefore - _skew <= now
            && contents.IssuedAt - _skew <= now;
        if (!consistent)
        {
            return TokenRejection.Invalid;
        }

        return contents.Expires + _skew < now ? TokenRejection.Expired : null;
    }

    // The token ids FuncAuth issues: 16 random bytes, base64url (22 characters).
    [GeneratedRegex("^[A-Za-z0-9_-]{22}$")]
    private static partial Regex TokenId();
}
