using Microsoft.Extensions.Options;

namespace FuncAuth.Revocation;

internal sealed class RevocationOptionsValidator : IValidateOptions<RevocationOptions>
{
    private static readonly TimeSpan MinPurgeInterval = TimeSpan.FromMinutes(1);

    // Tokens live at most a day, so waiting longer only lets the list grow (and PeriodicTimer refuses ~49 days).
    private static readonly TimeSpan MaxPurgeInterval = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RevocationOptions options) =>
        options.PurgeInterval < MinPurgeInterval || options.PurgeInterval > MaxPurgeInterval
            ? ValidateOptionsResult.Fail($"FuncAuth:Revocation:PurgeInterval must be between {MinPurgeInterval:c} and {MaxPurgeInterval:c}.")
            : ValidateOptionsResult.Success;
}
