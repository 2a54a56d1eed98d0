using FuncAuth.Revocation;
using FuncAuth.Tokens;

namespace FuncAuth.Tests.Revocation;

/// <summary>The in-memory marks of each kind: what they refuse, what they leave alone, and when they are forgotten.</summary>
public sealed class RevocationCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_mark_refuses_that_token_only()
    {
        var state = new RevocationCache();
        state.Add(new RevocationMark(RevocationKind.Token, "jti-1", Now.AddMinutes(20)));
        Assert.True(state.IsRevoked(Token("jti-1")));
        Assert.False(state.IsRevoked(Token("jti-2")));
    }

    [Fact]
    public void A_session_mark_refuses_every_token_of_that_session()
    {
        var state = new RevocationCache();
        state.Add(new RevocationMark(RevocationKind.Session, "session-1", Now.AddMinutes(20)));
        Assert.True(state.IsRevoked(Token("a", session: "session-1")));
        Assert.True(state.IsRevoked(Token("b", session: "session-1")));
        Assert.False(state.IsRevoked(Token("c", session: "session-2")));
        Assert.False(state.IsRevoked(Token("d")));
    }

    [Fact]
    public void A_user_cutoff_refuses_that_users_tokens_issued_before_it_only()
    {
        var state = new RevocationCache();
        state.Add(new RevocationMark(RevocationKind.User, "user-1", Now.AddMinutes(20), RevokedBefore: Now));
        Assert.True(state.IsRevoked(Token("a", subject: "user-1", issuedAt: Now.AddSeconds(-1))));
        Assert.False(state.IsRevoked(Token("b", subject: "user-1", issuedAt: Now)));
        Assert.False(state.IsRevoked(Token("c", subject: "user-2", issuedAt: Now.AddSeconds(-1))));

        // An earlier cut-off arriving later (from another instance) never moves the cut-off back.
        state.Add(new RevocationMark(RevocationKind.User, "user-1", Now.AddMinutes(5), RevokedBefore: Now.AddMinutes(-10)));
        Assert.True(state.IsRevoked(Token("d", subject: "user-1", issuedAt: Now.AddSeconds(-1))));
    }

    [Fact]
    public void Marks_are_forgotten_once_nothing_they_could_refuse_is_valid()
    {
        var state = new RevocationCache();
        state.Add(new RevocationMark(RevocationKind.Token, "old", Now.AddMinutes(-1)));
        state.Add(new RevocationMark(RevocationKind.Token, "live", Now.AddMinutes(1)));
        state.Add(new RevocationMark(RevocationKind.Session, "old-session", Now.AddMinutes(-1)));
        state.Add(new RevocationMark(RevocationKind.User, "old-user", Now.AddMinutes(-1), Now.AddMinutes(-20)));

        Assert.Equal(3, state.RemoveExpired(Now));
        Assert.Equal(1, state.Count);
        Assert.True(state.IsRevoked(Token("live")));
    }

    private static AccessToken Token(string id, string subject = "user", string? session = null, DateTimeOffset? issuedAt = null) =>
        new(id, subject, "name", "iss", "aud", issuedAt ?? Now, issuedAt ?? Now, (issuedAt ?? Now).AddMinutes(15), session);
}
