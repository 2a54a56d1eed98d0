using Microsoft.Extensions.Options;

namespace FuncAuth.Mfa;

/// <summary>A malformed key stops start-up, naming the setting (never echoing the value: it is a secret).</summary>
internal sealed class MfaOptionsValidator : IValidateOptions<MfaOptions>
{
    public ValidateOptionsResult Validate(string? name, MfaOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.EncryptionKey) && !EncryptionKeyRing.TryDecode(options.EncryptionKey, out _))
        {
            failures.Add($"{MfaOptions.SectionName}:{nameof(MfaOptions.EncryptionKey)} must be base64 of exactly {EncryptionKeyRing.KeyBytes} bytes (e.g. openssl rand -base64 32).");
        }

        for (var i = 0; i < options.PreviousEncryptionKeys.Count; i++)
        {
            if (!EncryptionKeyRing.TryDecode(options.PreviousEncryptionKeys[i], out _))
            {
                failures.Add($"{MfaOptions.SectionName}:{nameof(MfaOptions.PreviousEncryptionKeys)}:{i} must be base64 of exactly {EncryptionKeyRing.KeyBytes} bytes.");
            }
        }

        if (options.PreviousEncryptionKeys.Count > 0 && string.IsNullOrWhiteSpace(options.EncryptionKey))
        {
            failures.Add($"{MfaOptions.SectionName}:{nameof(MfaOptions.PreviousEncryptionKeys)} needs {MfaOptions.SectionName}:{nameof(MfaOptions.EncryptionKey)}: previous keys only decrypt.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
