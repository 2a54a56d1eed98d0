using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FuncAuth.Tokens;

/// <summary>
/// The configured keys: the active one signs new tokens; it and the previous ones validate, each selected
/// by the token's <c>kid</c> and only with its own algorithm. Rotation is configuration: make a new key
/// active, move the old one to <c>PreviousSigningKeys</c>, remove it once its tokens have expired.
/// </summary>
internal sealed class SigningKeys
{
    private readonly FrozenDictionary<string, SigningKey> _byKeyId;

    public SigningKeys(IOptions<TokenOptions> options)
    {
        // The options were validated at start-up, so every value reads.
        var settings = options.Value;
        Active = Read(settings.SigningKey);
        var all = new List<SigningKey> { Active };
        foreach (var previous in settings.PreviousSigningKeys)
        {
            var key = Read(previous);

            // The same key listed twice (mid-rotation, say) is one key.
            if (!all.Exists(k => k.KeyId == key.KeyId))
            {
                all.Add(key);
            }
        }

        All = all;
        _byKeyId = all.ToFrozenDictionary(k => k.KeyId, StringComparer.Ordinal);
        SigningCredentials = new SigningCredentials(Active.SecurityKey, Active.Algorithm);
        Algorithms = [.. all.Select(k => k.Algorithm).Distinct()];
    }

    public SigningKey Active { get; }

    /// <summary>The active key first, then the previous ones, as configured.</summary>
    public IReadOnlyList<SigningKey> All { get; }

    public SigningCredentials SigningCredentials { get; }

    /// <summary>The algorithms of the configured keys, each used only with its own keys.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    public bool TryFind(string keyId, out SigningKey? key) => _byKeyId.TryGetValue(keyId, out key);

    private static SigningKey Read(string? value) =>
        SigningKeyReader.TryRead(value, out var error)
            ?? throw new InvalidOperationException($"A signing key did not read ({error}); start-up validation should have stopped the app.");
}
