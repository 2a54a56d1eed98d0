using BenchmarkDotNet.Attributes;
using FuncAuth.Accounts;
using Microsoft.Extensions.Options;

namespace FuncAuth.Benchmarks;

/// <summary>The cost of one password check at OWASP's 600,000 PBKDF2-HMAC-SHA256 iterations: the floor of a login.</summary>
[MemoryDiagnoser]
public class PasswordBenchmarks
{
    private readonly PasswordHasher _hasher = new(Options.Create(new PasswordOptions()));
    private string _hash = string.Empty;

    [GlobalSetup]
    public void Setup() => _hash = _hasher.Hash("correct horse battery");

    [Benchmark]
    public bool VerifyKnownUser() => _hasher.Verify("correct horse battery", _hash) == PasswordCheck.Succeeded;

    [Benchmark]
    public void VerifyUnknownUser() => _hasher.VerifyNothing("correct horse battery");
}
