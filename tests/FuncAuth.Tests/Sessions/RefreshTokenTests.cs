using System.Buffers.Text;
using FuncAuth.Sessions;

namespace FuncAuth.Tests.Sessions;

/// <summary>The refresh token's form, its hash, and the sealed successor (pure units).</summary>
public sealed class RefreshTokenTests
{
    [Fact]
    public void A_new_token_is_256_random_bits_in_canonical_base64url()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => RefreshToken.New()).ToList();
        Assert.Equal(100, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.Equal(32, RefreshToken.Decode(t)!.Length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44 characters
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padding
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // base64, not base64url
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // spare bits set: not the canonical encoding
    public void Anything_but_a_canonical_43_character_token_is_refused(string? token) => Assert.Null(RefreshToken.Decode(token));

    [Fact]
    public void The_successor_is_recovered_only_with_the_spent_token_and_the_same_session()
    {
        var spent = RefreshToken.New();
        var successor = RefreshToken.New();
        var sealedSuccessor = RefreshToken.Seal(successor, RefreshToken.Decode(spent)!, "session-a");

        Assert.Equal(successor, RefreshToken.Unseal(sealedSuccessor, RefreshToken.Decode(spent)!, "session-a"));
        Assert.DoesNotContain(successor, sealedSuccessor, StringComparison.Ordinal);
        Assert.Null(RefreshToken.Unseal(sealedSuccessor, RefreshToken.Decode(RefreshToken.New())!, "session-a"));
        Assert.Null(RefreshToken.Unseal(sealedSuccessor, RefreshToken.Decode(spent)!, "session-b"));

        // Any changed byte is refused, not decrypted to something else.
        var bytes = Base64Url.DecodeFromChars(sealedSuccessor);
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 1;
            Assert.Null(RefreshToken.Unseal(Base64Url.EncodeToString(tampered), RefreshToken.Decode(spent)!, "session-a"));
        }
    }

    [Fact]
    public void The_stored_hash_is_the_sha256_of_the_tokens_bytes()
    {
        var token = RefreshToken.New();
        var expected = Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(RefreshToken.Decode(token)!));
        Assert.Equal(expected, RefreshToken.HashOf(token));
        Assert.NotEqual(RefreshToken.HashOf(token), RefreshToken.HashOf(RefreshToken.New()));
    }
}
