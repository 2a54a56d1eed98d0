using System.Collections.Concurrent;
using FuncAuth.Tokens;

namespace FuncAuth.Revocation;

/// <summary>What a revocation mark names.</summary>
internal enum RevocationKind
{
    /// <summary>One access token, by its <c>jti</c> (logout).</summary>
    Token,

    /// <summary>Every token of one session, by its <c>sid</c> (a session ended).</summary>
    Session,

    /// <summary>Every token of one user issued before a cut-off, by its <c>sub</c> (logout everywhere).</summary>
    User,
}

/// <summary>
/// One revocation: what it names, from when it applies (for a user's cut-off: tokens issued before it), and
/// when it can be forgotten (no token it could refuse is still valid by then).
/// </summary>
internal readonly record struct RevocationMark(RevocationKind Kind, string Id, DateTimeOffset ForgetAfter, DateTimeOffset RevokedBefore = default);

/// <summary>
/// The revocation marks <c>verify</c> checks, in memory: a few dictionary lookups per token, no storage. Marks
/// arrive from this instance's own writes at once and from other instances through the sync; each leaves
/// memory once the tokens it could refuse have expired, so memory follows the number of live revocations.
/// </summary>
internal sealed class RevocationState
{
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserCutoff> _users = new(StringComparer.Ordinal);

    public int Count => _tokens.Count + _sessions.Count + _users.Count;

    public bool IsRevoked(AccessToken token)
    {
        if (_tokens.ContainsKey(token.TokenId))
        {
            return true;
        }

        if (token.SessionId is { } session && _sessions.ContainsKey(session))
        {
            return true;
        }

        return _users.TryGetValue(token.Subject, out var cutoff) && token.IssuedAt.ToUnixTimeMilliseconds() < cutoff.RevokedBeforeMs;
    }

    /// <summary>Whether the session was ended, by its own mark or by its user's logout everywhere after it began.</summary>
    public bool IsSessionEnded(string userId, string sessionId, DateTimeOffset createdAt) =>
        _sessions.ContainsKey(sessionId)
        || (_users.TryGetValue(userId, out var cutoff) && createdAt.ToUnixTimeMilliseconds() < cutoff.RevokedBeforeMs);

    public void Add(RevocationMark mark)
    {
        var forgetAfter = mark.ForgetAfter.ToUnixTimeSeconds();
        switch (mark.Kind)
        {
            case RevocationKind.Token:
                _tokens.AddOrUpdate(mark.Id, forgetAfter, (_, existing) => Math.Max(existing, forgetAfter));
                break;
            case RevocationKind.Session:
                _sessions.AddOrUpdate(mark.Id, forgetAfter, (_, existing) => Math.Max(existing, forgetAfter));
                break;
            case RevocationKind.User:
                // The later cut-off covers the earlier one; keep it as long as either needs keeping.
                var cutoff = new UserCutoff(mark.RevokedBefore.ToUnixTimeMilliseconds(), forgetAfter);
                _users.AddOrUpdate(mark.Id, cutoff, (_, existing) => new UserCutoff(
                    Math.Max(existing.RevokedBeforeMs, cutoff.RevokedBeforeMs), Math.Max(existing.ForgetAfter, cutoff.ForgetAfter)));
                break;
        }
    }

    /// <summary>Forgets the marks no valid token can need any more; answers how many went.</summary>
    public int RemoveExpired(DateTimeOffset now)
    {
        var cutoff = now.ToUnixTimeSeconds();
        var removed = 0;
        foreach (var entry in _tokens)
        {
            if (entry.Value < cutoff && _tokens.TryRemove(entry))
            {
                removed++;
            }
        }

        foreach (var entry in _sessions)
        {
            if (entry.Value < cutoff && _sessions.TryRemove(entry))
            {
                removed++;
            }
        }

        foreach (var entry in _users)
        {
            if (entry.Value.ForgetAfter < cutoff && _users.TryRemove(entry))
            {
                removed++;
            }
        }

        return removed;
    }

    private readonly record struct UserCutoff(long RevokedBeforeMs, long ForgetAfter);
}
