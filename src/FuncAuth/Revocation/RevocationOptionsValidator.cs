using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

internal sealed class RevocationOptionsValidator : IValidateOptions<RevocationOptions>
{
    private static readonly TimeSpan MinPurgeInterval = TimeSpan.FromMinutes(1);

    // Tokens live at most a day, so waiting longer only lets the list grow (and PeriodicTimer refuses ~49 days).
    private static readonly TimeSpan MaxPurgeInterval = TimeSpan.FromDays(1);

    private static readonly TimeSpan MinSyncInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxSyncInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxMaxStaleness = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinSyncWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxSyncWait = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, RevocationOptions options)
    {
        var failures = new List<string>();
        if (options.PurgeInterval < MinPurgeInterval || options.PurgeInterval > MaxPurgeInterval)
        {
            failures.Add($"FuncAuth:Revocation:PurgeInterval must be between {MinPurgeInterval:c} and {MaxPurgeInterval:c}.");
        }

        if (options.SyncInterval < MinSyncInterval || options.SyncInterval > MaxSyncInterval)
        {
            failures.Add($"FuncAuth:Revocation:SyncInterval must be between {MinSyncInterval:c} and {MaxSyncInterval:c}.");
        }

        // A bound no longer than the interval would find the state stale between every two syncs.
        if (options.MaxStaleness <= options.SyncInterval || options.MaxStaleness > MaxMaxStaleness)
        {
            failures.Add($"FuncAuth:Revocation:MaxStaleness must be longer than FuncAuth:Revocation:SyncInterval and at most {MaxMaxStaleness:c}.");
        }

        if (options.SyncWait < MinSyncWait || options.SyncWait > MaxSyncWait)
        {
            failures.Add($"FuncAuth:Revocation:SyncWait must be between {MinSyncWait:c} and {MaxSyncWait:c}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
