using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

internal sealed class LockoutOptionsValidator : IValidateOptions<LockoutOptions>
{
    public ValidateOptionsResult Validate(string? name, LockoutOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFailedAttempts is < 1 or > 100)
        {
            failures.Add("FuncAuth:Lockout:MaxFailedAttempts must be between 1 and 100.");
        }

        if (options.LockoutDuration < TimeSpan.FromSeconds(1) || options.LockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add("FuncAuth:Lockout:LockoutDuration must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.MaxLockoutDuration < options.LockoutDuration || options.MaxLockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add("FuncAuth:Lockout:MaxLockoutDuration must be at least FuncAuth:Lockout:LockoutDuration and at most 1.00:00:00.");
        }

        if (options.FailureMemory < TimeSpan.FromMinutes(1) || options.FailureMemory > TimeSpan.FromDays(30))
        {
            failures.Add("FuncAuth:Lockout:FailureMemory must be between 00:01:00 and 30.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
