using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// The issuer and validator alone (a pure unit, fake clock): roles round-trip through a token, a token without roles reads
/// as no roles (null, nothing allocated for it), and a token with roles is still served from the validated-token cache.
/// </summary>
public sealed class RolesTokenUnitTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public void Roles_round_trip_and_a_token_with_roles_is_cached()
    {
        var (issuer, validator) = Create();
        var token = issuer.Issue(new UserAccount("key", Guid.NewGuid().ToString(), "alice", "hash", default, Roles: ["billing", "reports"])).Token;

        var first = validator.Validate(token).Token;
        Assert.NotNull(first);
        Assert.Equal(["billing", "reports"], first.Roles!);
        Assert.True(first.HasRole("reports"));
        Assert.False(first.HasRole("Reports"));

        // The same claims object again: the cache answered, without reading the token a second time.
        Assert.Same(first, validator.Validate(token).Token);
    }

    [Fact]
    public void A_token_without_roles_reads_as_none()
    {
        var (issuer, validator) = Create();
        var claims = validator.Validate(issuer.Issue(new UserAccount("key", Guid.NewGuid().ToString(), "alice", "hash", default)).Token).Token;
        Assert.NotNull(claims);
        Assert.Null(claims.Roles);
        Assert.False(claims.HasRole("reports"));
    }

    private (TokenIssuer Issuer, AccessTokenValidator Validator) Create()
    {
        var options = Options.Create(new TokenOptions
        {
            SigningKey = TestKeys.Es256,
            Issuer = FuncAuthApp.Issuer,
            Audience = FuncAuthApp.Audience,
            ValidatedTokenCacheSize = 100,
        });
        var keys = new SigningKeys(options);
        return (new TokenIssuer(keys, options, _time), new AccessTokenValidator(keys, options, _time));
    }
}
