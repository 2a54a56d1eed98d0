using Microsoft.Extensions.Options;

namespace FuncAuth.Http;

internal sealed class ThrottlingOptionsValidator : IValidateOptions<ThrottlingOptions>
{
    public ValidateOptionsResult Validate(string? name, ThrottlingOptions options)
    {
        var failures = new List<string>();
        if (options.PermitLimit is < 0 or > 1_000_000)
        {
            failures.Add("FuncAuth:Throttling:PermitLimit must be between 0 (off) and 1000000.");
        }

        if (options.TokenRequestPermitLimit is < 0 or > 1_000_000)
        {
            failures.Add("FuncAuth:Throttling:TokenRequestPermitLimit must be between 0 (off) and 1000000.");
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromHours(1))
        {
            failures.Add("FuncAuth:Throttling:Window must be between 00:00:01 and 01:00:00.");
        }

        if (options.ClientAddressHeader is { Length: > 0 } header && !header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            failures.Add("FuncAuth:Throttling:ClientAddressHeader must be a header name (letters, digits and '-').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
