using FuncAuth.Accounts;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Accounts;

public sealed class PasswordHasherTests
{
    private static PasswordHasher Hasher(int iterations) => new(Options.Create(new PasswordOptions { Iterations = iterations }));

    [Fact]
    public void A_hash_verifies_its_password_and_only_its_password()
    {
        var hasher = Hasher(1000);
        var hash = hasher.Hash("correct horse battery");
        Assert.Equal(PasswordCheck.Succeeded, hasher.Verify("correct horse battery", hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("correct horse batterY", hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify(string.Empty, hash));
    }

    [Fact]
    public void The_stored_string_names_algorithm_and_cost_and_salts_every_hash()
    {
        var hasher = Hasher(1234);
        var a = hasher.Hash("same password");
        var b = hasher.Hash("same password");
        Assert.StartsWith("$pbkdf2-sha256$i=1234$", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        var parts = a.Split('$');
        Assert.Equal(16, System.Buffers.Text.Base64Url.DecodeFromChars(parts[3]).Length);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(parts[4]).Length);
    }

    [Fact]
    public void The_default_cost_is_owasps()
    {
        Assert.Equal(600_000, new PasswordOptions().Iterations);
    }

    [Fact]
    public void A_hash_of_a_lower_cost_verifies_but_asks_to_be_upgraded()
    {
        var old = Hasher(1000).Hash("correct horse battery");
        Assert.Equal(PasswordCheck.SucceededButOutdated, Hasher(2000).Verify("correct horse battery", old));
        Assert.Equal(PasswordCheck.Failed, Hasher(2000).Verify("wrong", old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("$pbkdf2-sha256$i=0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$pbkdf2-sha256$i=1000$!!$AAAA")]
    [InlineData("$pbkdf2-sha1$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_or_absurd_stored_hashes_never_verify(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, Hasher(1000).Verify("anything", stored));
    }
}
