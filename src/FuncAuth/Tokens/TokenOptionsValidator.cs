using Microsoft.Extensions.Options;

namespace FuncAuth.Tokens;

internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public const int MinKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add(
                "FuncAuth:Tokens:SigningKey is required outside Development (app setting FuncAuth__Tokens__SigningKey): " +
                $"a base64-encoded random key of at least {MinKeyBytes} bytes, e.g. the output of 'openssl rand -base64 32'.");
        }
        else if (!IsLongEnoughBase64(options.SigningKey))
        {
            failures.Add($"FuncAuth:Tokens:SigningKey must be base64 of at least {MinKeyBytes} random bytes (256 bits) for HS256.");
        }

        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add("FuncAuth:Tokens:Issuer must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("FuncAuth:Tokens:Audience must not be empty.");
        }

        if (options.AccessTokenLifetime < TimeSpan.FromMinutes(1) || options.AccessTokenLifetime > TimeSpan.FromHours(24))
        {
            failures.Add("FuncAuth:Tokens:AccessTokenLifetime must be between 00:01:00 and 1.00:00:00.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add("FuncAuth:Tokens:ClockSkew must be between 00:00:00 and 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLongEnoughBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= MinKeyBytes;
    }
}
