using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Tokens;

/// <summary>
/// The validated-token cache answers only for the very token it validated: any change of any character is a
/// different token, validated from scratch and refused; cached tokens still expire on time.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public static TheoryData<string> Keys() => [TestKeys.Hs256, TestKeys.Es256, TestKeys.Rs256];

    [Theory]
    [MemberData(nameof(Keys))]
    public void No_token_that_differs_from_a_cached_one_in_any_character_is_accepted(string signingKey)
    {
        var (issuer, validator) = Create(signingKey, cacheSize: 100);
        var token = issuer.Issue(Account()).Token;
        Assert.NotNull(validator.Validate(token).Token);
        Assert.NotNull(validator.Validate(token).Token);

        for (var i = 0; i < token.Length; i++)
        {
            // Two substitutes per position, neither equal to the original character.
            foreach (var substitute in Alphabet.Where(c => c != token[i]).Take(2))
            {
                var altered = string.Concat(token.AsSpan(0, i), [substitute], token.AsSpan(i + 1));
                Assert.True(validator.Validate(altered).Token is null, $"Accepted with '{substitute}' at {i} of {token.Length}: {token[i]}");
            }
        }

        Assert.Null(validator.Validate(token + "A").Token);
        Assert.Null(validator.Validate(token[..^1]).Token);
        Assert.NotNull(validator.Validate(token).Token);
    }

    [Fact]
    public void A_cached_token_expires_on_time()
    {
        var (issuer, validator) = Create(TestKeys.Es256, cacheSize: 100);
        var token = issuer.Issue(Account()).Token;
        Assert.NotNull(validator.Validate(token).Token);

        // Tokens carry whole seconds: 15:29 later it is still inside the 30 s skew, a second more and it is not.
        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(29));
        Assert.NotNull(validator.Validate(token).Token);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenRejection.Expired, validator.Validate(token).Rejection);
    }

    [Fact]
    public void The_cache_stays_within_its_capacity()
    {
        var cache = new ValidatedTokenCache(capacity: 10);
        var claims = new AccessToken("id", "sub", "name", "iss", "aud", _time.GetUtcNow(), _time.GetUtcNow(), _time.GetUtcNow().AddMinutes(5));
        for (var i = 0; i < 1000; i++)
        {
            cache.Add($"token-{i}", claims, _time.GetUtcNow());
            Assert.InRange(cache.Count, 1, 10);
        }

        Assert.True(cache.TryGet("token-999", out _));
    }

    private (TokenIssuer Issuer, AccessTokenValidator Validator) Create(string signingKey, int cacheSize)
    {
        var options = Options.Create(new TokenOptions
        {
            SigningKey = signingKey,
            Issuer = FuncAuthApp.Issuer,
            Audience = FuncAuthApp.Audience,
            ValidatedTokenCacheSize = cacheSize,
        });
        var keys = new SigningKeys(options);
        return (new TokenIssuer(keys, options, _time), new AccessTokenValidator(keys, options, _time));
    }

    private static UserAccount Account() => new("key", Guid.NewGuid().ToString(), "alice", "hash", default);
}
