using System.Collections.Concurrent;

namespace FuncAuth.Tokens;

/// <summary>
/// Tokens whose signature and claims already passed, so a token presented again is not verified again before
/// it expires. Keyed by the whole token and compared in full: a token that differs from a cached one in any
/// byte is a different key and is validated from scratch. Bounded: when full, expired entries go, and if
/// that is not enough, everything does (a miss only costs one validation).
/// </summary>
internal sealed class ValidatedTokenCache(int capacity)
{
    private readonly ConcurrentDictionary<string, AccessToken> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public bool TryGet(string token, out AccessToken? claims) => _entries.TryGetValue(token, out claims);

    public void Add(string token, AccessToken claims, DateTimeOffset now)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            foreach (var entry in _entries)
            {
                if (entry.Value.Expires < now)
                {
                    _entries.TryRemove(entry);
                }
            }

            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }

        _entries[token] = claims;
    }

    public void Remove(string token) => _entries.TryRemove(token, out _);
}
