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

    /// <summary>
    /// Every token of one user issued before a cut-off, by its <c>sub</c> (logout everywhere, account deletion), or every
    /// one but those of a kept session (a password change keeps the caller's).
    /// </summary>
    User,
}

/// <summary>
/// One revocation: what it names, from when it applies (for a user's cut-off: tokens issued before it, except those of
/// <see cref="KeepSessionId"/> when there is one), and when it can be forgotten (no token it could refuse is still valid by then).
/// </summary>
internal readonly record struct RevocationMark(
    RevocationKind Kind, string Id, DateTimeOffset ForgetAfter, DateTimeOffset RevokedBefore = default, string? KeepSessionId = null);

/// <summary>
/// The revocation marks <c>verify</c> checks, in memory: a few dictionary lookups per token, no storage. Marks
/// arrive from this instance's own writes at once and from other instances through the sync; each leaves
/// memory once the tokens it could refuse have expired, so memory follows the number of live revocations.
/// </summary>
internal sealed class RevocationCache
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

        return _users.TryGetValue(token.Subject, out var cutoff) && cutoff.Refuses(token.IssuedAt, token.SessionId);
    }

    /// <summary>Whether the session was ended, by its own mark or by a cut-off of its user after it began that does not keep it.</summary>
    public bool IsSessionEnded(string userId, string sessionId, DateTimeOffset createdAt) =>
        _sessions.ContainsKey(sessionId)
        || (_users.TryGetValue(userId, out var cutoff) && cutoff.Refuses(createdAt, sessionId));

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
                var cutoff = UserCutoff.Of(mark, forgetAfter);
                _users.AddOrUpdate(mark.Id, cutoff, (_, existing) => existing.Merge(cutoff));
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

    /// <summary>
    /// A user's cut-offs merged: <see cref="AllBeforeMs"/>, the latest that spares no session; <see cref="BeforeMs"/>, the
    /// latest of all, sparing <see cref="Keep"/> (null: none). The latest cut-off's kept session is spared by it (a session an
    /// earlier cut-off did not spare was ended by its own session mark when that cut-off was written), but never below a
    /// cut-off that spared nothing.
    /// </summary>
    private readonly record struct UserCutoff(long AllBeforeMs, long BeforeMs, string? Keep, long ForgetAfter)
    {
        public static UserCutoff Of(RevocationMark mark, long forgetAfter)
        {
            var before = mark.RevokedBefore.ToUnixTimeMilliseconds();
            return new UserCutoff(mark.KeepSessionId is null ? before : 0, before, mark.KeepSessionId, forgetAfter);
        }

        public bool Refuses(DateTimeOffset issuedAt, string? sessionId)
        {
            var at = issuedAt.ToUnixTimeMilliseconds();
            return at < AllBeforeMs || (at < BeforeMs && (Keep is null || !string.Equals(sessionId, Keep, StringComparison.Ordinal)));
        }

        public UserCutoff Merge(UserCutoff other)
        {
            var all = Math.Max(AllBeforeMs, other.AllBeforeMs);
            var forget = Math.Max(ForgetAfter, other.ForgetAfter);
            if (BeforeMs != other.BeforeMs)
            {
                var latest = BeforeMs > other.BeforeMs ? this : other;
                return new UserCutoff(all, latest.BeforeMs, latest.Keep, forget);
            }

            // Two cut-offs in the same instant sparing different sessions: their order is unknown, so spare neither.
            return string.Equals(Keep, other.Keep, StringComparison.Ordinal)
                ? new UserCutoff(all, BeforeMs, Keep, forget)
                : new UserCutoff(Math.Max(all, BeforeMs), BeforeMs, null, forget);
        }
    }
}
