namespace FuncAuth.Sessions;

/// <summary>What a refresh came to.</summary>
internal enum RefreshOutcome
{
    /// <summary>New tokens: a rotation, or the same successor to a racing client within the reuse interval.</summary>
    Refreshed,

    /// <summary>Not a refresh token of a live session (unknown, malformed, or of a session that ended).</summary>
    Invalid,

    /// <summary>The refresh token's idle lifetime or its session's absolute lifetime is over.</summary>
    Expired,

    /// <summary>A spent refresh token presented again: the session has been ended (RFC 9700 §4.14.2).</summary>
    Reused,
}
