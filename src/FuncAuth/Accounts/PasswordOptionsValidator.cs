using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FuncAuth.Accounts;

internal sealed class PasswordOptionsValidator(IHostEnvironment environment) : IValidateOptions<PasswordOptions>
{
    private const int MaxIterations = 5_000_000;

    public ValidateOptionsResult Validate(string? name, PasswordOptions options)
    {
        // A lower cost is for fast tests and local runs only; deployed apps keep OWASP's floor.
        var floor = environment.IsDevelopment() ? 1 : PasswordOptions.RecommendedIterations;
        return options.Iterations < floor || options.Iterations > MaxIterations
            ? ValidateOptionsResult.Fail(
                $"FuncAuth:Passwords:Iterations must be between {floor} and {MaxIterations} in the {environment.EnvironmentName} environment; " +
                $"OWASP recommends {PasswordOptions.RecommendedIterations} for PBKDF2-HMAC-SHA256.")
            : ValidateOptionsResult.Success;
    }
}
