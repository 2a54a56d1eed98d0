using System.Security.Cryptography;
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
    [MemberData(nameof(MalformedHashes))]
    public void Malformed_or_absurd_stored_hashes_never_verify(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, Hasher(1000).Verify("anything", stored));
    }

    public static TheoryData<string> MalformedHashes() =>
    [
        "",
        "plaintext",
        "$pbkdf2-sha256$i=0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=999999999$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$pbkdf2-sha256$i=1000$!!$AAAA",
        "$pbkdf2-sha1$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];

    // Work is counted in PBKDF2 iterations rather than timed, so the tests neither flake nor take long.
    [Theory]
    [InlineData(2000)]
    [InlineData(1000)]
    [InlineData(1)]
    public void A_refused_password_costs_at_least_the_configured_work_whatever_the_stored_cost(int storedCost)
    {
        var stored = Hasher(storedCost).Hash("correct horse battery");
        var counted = new CountingHasher(2000);
        Assert.Equal(PasswordCheck.Failed, counted.Hasher.Verify("not the password", stored));
        Assert.InRange(counted.Iterations, 2000, 2000 + storedCost);
    }

    [Theory]
    [MemberData(nameof(MalformedHashes))]
    public void A_malformed_stored_hash_costs_the_configured_work(string stored)
    {
        var counted = new CountingHasher(2000);
        Assert.Equal(PasswordCheck.Failed, counted.Hasher.Verify("anything", stored));
        Assert.Equal(2000, counted.Iterations);
    }

    [Fact]
    public void An_unknown_user_costs_the_configured_work()
    {
        var counted = new CountingHasher(2000);
        counted.Hasher.VerifyNothing("anything");
        Assert.Equal(2000, counted.Iterations);
    }

    [Fact]
    public void Counting_the_work_does_not_change_the_answers()
    {
        var counted = new CountingHasher(2000);
        var hash = counted.Hasher.Hash("correct horse battery");
        Assert.Equal(PasswordCheck.Succeeded, Hasher(2000).Verify("correct horse battery", hash));
        Assert.Equal(PasswordCheck.Succeeded, counted.Hasher.Verify("correct horse battery", hash));
        Assert.Equal(PasswordCheck.SucceededButOutdated, counted.Hasher.Verify("correct horse battery", Hasher(1000).Hash("correct horse battery")));
    }

    /// <summary>A hasher whose PBKDF2 is the real one, with the iterations it runs added up.</summary>
    private sealed class CountingHasher
    {
        private long _iterations;

        public CountingHasher(int configured) =>
            Hasher = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = configured }), (password, salt, iterations) =>
            {
                Interlocked.Add(ref _iterations, iterations);
                return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
            });

        public PasswordHasher Hasher { get; }

        public long Iterations => Interlocked.Read(ref _iterations);
    }
}
