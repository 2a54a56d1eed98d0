namespace FuncAuth.Sessions;

/// <summary>How long sessions and their refresh tokens live: <c>FuncAuth:Sessions</c>.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "FuncAuth:Sessions";

    /// <summary>How long a refresh token stays usable when it is not used; each rotation starts it again.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a session lives from its login, however often it is refreshed: never extended.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long after a rotation the refresh token just spent still answers, with the same successor: two tabs or
    /// processes refreshing at once are a race, not a theft. Zero turns it off (any second use ends the session).
    /// </summary>
    public TimeSpan RefreshReuseInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often sessions past their lifetime are removed from storage.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
