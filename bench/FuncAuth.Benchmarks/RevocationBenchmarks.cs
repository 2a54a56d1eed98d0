using System.Buffers.Text;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using FuncAuth.Revocation;
using FuncAuth.Tokens;

namespace FuncAuth.Benchmarks;

/// <summary>verify's revocation check, an in-memory lookup: with no marks, and with 100,000 live ones.</summary>
[MemoryDiagnoser]
public class RevocationBenchmarks
{
    private RevocationCache _state = null!;
    private AccessToken _live = null!;
    private AccessToken _revoked = null!;

    [Params(0, 100_000)]
    public int Revocations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var expires = DateTimeOffset.UtcNow.AddMinutes(15);
        _state = new RevocationCache();
        for (var i = 0; i < Revocations; i++)
        {
            _state.Add(new RevocationMark(RevocationKind.Token, NewId(), expires));
        }

        _revoked = Token(NewId(), expires);
        _state.Add(new RevocationMark(RevocationKind.Token, _revoked.TokenId, expires));
        _live = Token(NewId(), expires);
    }

    [Benchmark(Baseline = true)]
    public bool LiveToken() => _state.IsRevoked(_live);

    [Benchmark]
    public bool RevokedToken() => _state.IsRevoked(_revoked);

    private static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private static AccessToken Token(string id, DateTimeOffset expires) =>
        new(id, "subject", "alice", "funcauth", "funcauth", expires.AddMinutes(-15), expires.AddMinutes(-15), expires, "session");
}
