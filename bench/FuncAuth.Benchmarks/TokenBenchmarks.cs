using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FuncAuth.Accounts;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Benchmarks;

/// <summary>Issuing a token at login and validating one at verify (signature, claims, lifetime), per algorithm, uncached and cached.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly UserAccount _account = new("key", Guid.NewGuid().ToString(), "alice", "hash", default);
    private TokenIssuer _issuer = null!;
    private AccessTokenValidator _validator = null!;
    private AccessTokenValidator _cachingValidator = null!;
    private string _token = null!;

    [Params("HS256", "ES256", "RS256")]
    public string Algorithm { get; set; } = "HS256";

    [GlobalSetup]
    public void Setup()
    {
        var key = Algorithm switch
        {
            "ES256" => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
            "RS256" => RSA.Create(2048).ExportPkcs8PrivateKeyPem(),
            _ => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        var options = Options.Create(new TokenOptions { SigningKey = key, ValidatedTokenCacheSize = 0 });
        var keys = new SigningKeys(options);
        _issuer = new TokenIssuer(keys, options, TimeProvider.System);
        _validator = new AccessTokenValidator(keys, options, TimeProvider.System);
        _cachingValidator = new AccessTokenValidator(
            keys, Options.Create(new TokenOptions { SigningKey = key, ValidatedTokenCacheSize = 1000 }), TimeProvider.System);
        _token = _issuer.Issue(_account).Token;
        _cachingValidator.Validate(_token);
    }

    [Benchmark]
    public string Issue() => _issuer.Issue(_account).Token;

    /// <summary>A token seen for the first time: read, signature, claims.</summary>
    [Benchmark]
    public bool Validate() => _validator.Validate(_token).Token is not null;

    /// <summary>A token validated before: the validated-token cache answers.</summary>
    [Benchmark]
    public bool ValidateCached() => _cachingValidator.Validate(_token).Token is not null;
}
