using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tokens;

internal enum TokenRejection
{
    Invalid,
    Expired,
}

/// <summary>The outcome of validating a token: its claims, or why it was refused.</summary>
internal readonly record struct TokenValidation(AccessToken? Token, TokenRejection? Rejection)
{
    public static TokenValidation Accepted(AccessToken token) => new(token, null);

    public static TokenValidation Rejected(TokenRejection rejection) => new(null, rejection);
}

/// <summary>
/// Validates FuncAuth access tokens. The token is read strictly first (<see cref="TokenContents"/>); its
/// <c>kid</c> selects one configured key and its <c>alg</c> must be that key's algorithm (RFC 8725 §2.1,
/// §3.1: an HS256 token "signed" with a published public key never passes); no header ever points at a key.
/// Then the type, issuer and audience, the signature (with the library's signature provider for the key),
/// and the times. A token that passed is remembered until it expires, so presenting it again costs a lookup.
/// Refusals are answers, never exceptions. Revocation is checked apart from this: see the revocation state.
/// </summary>
internal sealed partial class AccessTokenValidator
{
    /// <summary>A FuncAuth token is well under 1 KiB; anything far larger is not one of ours.</summary>
    public const int MaxTokenLength = 4096;

    private static readonly TokenValidation Invalid = TokenValidation.Rejected(TokenRejection.Invalid);
    private static readonly TokenValidation Expired = TokenValidation.Rejected(TokenRejection.Expired);

    private readonly SigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly ValidatedTokenCache _cache;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly TimeSpan _skew;
    private readonly TimeSpan _maxLifetime;

    public AccessTokenValidator(SigningKeys keys, IOptions<TokenOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _keys = keys;
        _time = time;
        _cache = new ValidatedTokenCache(settings.ValidatedTokenCacheSize);
        _issuer = settings.Issuer;
        _audience = settings.Audience;
        _skew = settings.ClockSkew;
        _maxLifetime = settings.AccessTokenLifetime + settings.ClockSkew;
    }

    /// <summary>RFC 9068 §4: <c>at+jwt</c>, or its full media type <c>application/at+jwt</c>, in any letter case.</summary>
    public static bool IsAccessTokenType(string? type) =>
        string.Equals(type, TokenIssuer.TokenType, StringComparison.OrdinalIgnoreCase)
        || string.Equals(type, "application/" + TokenIssuer.TokenType, StringComparison.OrdinalIgnoreCase);

    public TokenValidation Validate(string token) => Validate(token.AsSpan());

    public TokenValidation Validate(ReadOnlySpan<char> presented)
    {
        if (presented.Length > MaxTokenLength)
        {
            return Invalid;
        }

        var now = _time.GetUtcNow();
        if (_cache.TryGet(presented, out var cached))
        {
            if (cached!.Expires + _skew >= now)
            {
                return TokenValidation.Accepted(cached);
            }

            _cache.Remove(presented);
            return Expired;
        }

        var token = presented.ToString();

        // Everything that needs no cryptography first: shape, kid, alg, type, issuer, audience.
        if (TokenContents.TryRead(token) is not { } contents
            || !_keys.TryFind(contents.KeyId, out var key) || key!.Algorithm != contents.Algorithm
            || !IsAccessTokenType(contents.Type)
            || contents.Claims.Issuer != _issuer || contents.Claims.Audience != _audience
            || !TokenId().IsMatch(contents.Claims.TokenId)
            || !key.HasSigned(token))
        {
            return Invalid;
        }

        // Only a token we signed gets this far, so "expired" tells a forger nothing.
        var claims = contents.Claims;
        if (!HasConsistentTimes(claims, now))
        {
            return Invalid;
        }

        if (claims.Expires + _skew < now)
        {
            return Expired;
        }

        _cache.Add(token, claims, now);
        return TokenValidation.Accepted(claims);
    }

    private bool HasConsistentTimes(AccessToken claims, DateTimeOffset now) =>
        claims.NotBefore <= claims.Expires
        && claims.IssuedAt <= claims.Expires
        && claims.Expires - claims.IssuedAt <= _maxLifetime
        && claims.NotBefore - _skew <= now
        && claims.IssuedAt - _skew <= now;

    // The token ids FuncAuth issues: 16 random bytes, base64url (22 characters).
    [GeneratedRegex("^[A-Za-z0-9_-]{22}$")]
    private static partial Regex TokenId();
}
