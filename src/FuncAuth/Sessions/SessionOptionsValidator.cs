using Microsoft.Extensions.Options;

namespace FuncAuth.Sessions;

internal sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    private static readonly TimeSpan MinLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(400);

    // Long enough for a slow client's retry; anything longer widens the window in which a thief's replay passes.
    private static readonly TimeSpan MaxReuseInterval = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        var failures = new List<string>();
        if (options.RefreshTokenLifetime < MinLifetime || options.RefreshTokenLifetime > MaxLifetime)
        {
            failures.Add($"FuncAuth:Sessions:RefreshTokenLifetime must be between {MinLifetime:c} and {MaxLifetime:c}.");
        }

        if (options.SessionLifetime < MinLifetime || options.SessionLifetime > MaxLifetime)
        {
            failures.Add($"FuncAuth:Sessions:SessionLifetime must be between {MinLifetime:c} and {MaxLifetime:c}.");
        }

        if (options.RefreshReuseInterval < TimeSpan.Zero || options.RefreshReuseInterval > MaxReuseInterval)
        {
            failures.Add($"FuncAuth:Sessions:RefreshReuseInterval must be between 00:00:00 (off) and {MaxReuseInterval:c}.");
        }

        if (options.PurgeInterval < TimeSpan.FromMinutes(1) || options.PurgeInterval > TimeSpan.FromDays(1))
        {
            failures.Add("FuncAuth:Sessions:PurgeInterval must be between 00:01:00 and 1.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
