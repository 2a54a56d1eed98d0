using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

internal sealed class PasswordOptionsValidator(IHostEnvironment environment) : IValidateOptions<PasswordOptions>
{
    private const int MaxIterations = 5_000_000;

    public ValidateOptionsResult Validate(string? name, PasswordOptions options)
    {
        // A lower cost is for fast tests and local runs only; deployed apps keep OWASP's floor.
        var failures = new List<string>();
        var floor = environment.IsDevelopment() ? 1 : PasswordOptions.RecommendedIterations;
        if (options.Iterations < floor || options.Iterations > MaxIterations)
        {
            failures.Add(
                $"FuncAuth:Passwords:Iterations must be between {floor} and {MaxIterations} in the {environment.EnvironmentName} environment; " +
                $"OWASP recommends {PasswordOptions.RecommendedIterations} for PBKDF2-HMAC-SHA256.");
        }

        // Never below NIST's minimum, and never above the longest password accepted at all.
        if (options.MinimumLength < 8 || options.MinimumLength > 64)
        {
            failures.Add("FuncAuth:Passwords:MinimumLength must be between 8 and 64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
