namespace FuncAuth.Accounts;

/// <summary>Per-account brute-force protection: <c>FuncAuth:Lockout</c>.</summary>
public sealed class LockoutOptions
{
    public const string SectionName = "FuncAuth:Lockout";

    /// <summary>Consecutive failed password checks that lock the account (a username, whether or not it has one).</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long the first lockout lasts; each further one doubles it, up to <see cref="MaxLockoutDuration"/>.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxLockoutDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long failures and past lockouts are remembered after the last failure.</summary>
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromHours(12);
}
