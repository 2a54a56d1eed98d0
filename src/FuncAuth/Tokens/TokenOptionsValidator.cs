using System.Globalization;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tokens;

internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public const string SigningKeySetting = "FuncAuth:Tokens:SigningKey";
    public const string PreviousSigningKeysSetting = "FuncAuth:Tokens:PreviousSigningKeys";

    public ValidateOptionsResult Validate(string? name, TokenOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            failures.Add(
                $"{SigningKeySetting} is required outside Development (app setting FuncAuth__Tokens__SigningKey): " +
                $"{SigningKeyReader.AcceptedForms}.");
        }
        else if (SigningKeyReader.TryRead(options.SigningKey, out var error) is null)
        {
            failures.Add(SigningKeyReader.Describe(SigningKeySetting, error!));
        }

        for (var i = 0; i < options.PreviousSigningKeys.Count; i++)
        {
            if (SigningKeyReader.TryRead(options.PreviousSigningKeys[i], out var error) is null)
            {
                failures.Add(SigningKeyReader.Describe(string.Create(CultureInfo.InvariantCulture, $"{PreviousSigningKeysSetting}:{i}"), error!));
            }
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

        if (options.KeySetCacheDuration < TimeSpan.Zero || options.KeySetCacheDuration > TimeSpan.FromDays(1))
        {
            failures.Add("FuncAuth:Tokens:KeySetCacheDuration must be between 00:00:00 and 1.00:00:00.");
        }

        if (options.ValidatedTokenCacheSize is < 0 or > 1_000_000)
        {
            failures.Add("FuncAuth:Tokens:ValidatedTokenCacheSize must be between 0 (off) and 1000000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
