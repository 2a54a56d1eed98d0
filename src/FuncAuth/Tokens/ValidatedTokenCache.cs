using System.Collections.Concurrent;

namespace FuncAuth.Tokens;

/// <summary>
/// Tokens whose signature and claims already passed, so a token presented again is not verified again before
/// it expires. Keyed by the whole token and compared in full: a token that differs from a cached one in any
/// byte is a different key and is validated from scratch. Bounded: when full, expired entries go, and if
/// that is not enough, everything does (a miss only costs one validation).
/// </summary>
internal sealed class ValidatedTokenCache
{
    private readonly int _capacity;
    private readonly ConcurrentDictionary<string, AccessToken> _entries;
    private readonly ConcurrentDictionary<string, AccessToken>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public ValidatedTokenCache(int capacity)
    {
        _capacity = capacity;
        _entries = new(StringComparer.Ordinal);

        // Looked up by the header's own characters, so a hit allocates nothing.
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _entries.Count;

    public bool TryGet(ReadOnlySpan<char> token, out AccessToken? claims) => _bySpan.TryGetValue(token, out claims);

    public void Add(string token, AccessToken claims, DateTimeOffset now)
    {
        if (_capacity <= 0)
        {
            return;
        }

        if (_entries.Count >= _capacity)
        {
            foreach (var entry in _entries)
            {
                if (entry.Value.Expires < now)
                {
                    _entries.TryRemove(entry);
                }
            }

            if (_entries.Count >= _capacity)
            {
                _entries.Clear();
            }
        }

        _entries[token] = claims;
    }

    public void Remove(ReadOnlySpan<char> token) => _bySpan.TryRemove(token, out _, out _);
}
