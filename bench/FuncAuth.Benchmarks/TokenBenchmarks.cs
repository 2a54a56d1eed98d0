using BenchmarkDotNet.Attributes;
using FuncAuth.Accounts;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Benchmarks;

/// <summary>Issuing a token at login and validating one at verify (signature, claims, lifetime).</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly TokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;
    private readonly UserAccount _account = new("key", Guid.NewGuid().ToString(), "alice", "hash", default);
    private readonly string _token;

    public TokenBenchmarks()
    {
        var options = Options.Create(new TokenOptions { SigningKey = Convert.ToBase64String(new byte[32]) });
        var keys = new SymmetricSigningKeys(options);
        _issuer = new TokenIssuer(keys, options, TimeProvider.System);
        _validator = new AccessTokenValidator(keys, options, TimeProvider.System);
        _token = _issuer.Issue(_account).Token;
    }

    [Benchmark]
    public string Issue() => _issuer.Issue(_account).Token;

    [Benchmark]
    public async Task<bool> Validate() => (await _validator.ValidateAsync(_token)).Token is not null;
}
