using Fido2NetLib;
using FuncAuth.Email;
using FuncAuth.Tokens;
using Microsoft.Extensions.Options;

namespace FuncAuth.Passkeys;

/// <summary>
/// The relying party as this deployment runs it: <c>FuncAuth:Passkeys</c> when set, else derived from an https issuer, else
/// none (<see cref="IsConfigured"/> false: the passkey endpoints answer 404). Holds the one Fido2 verifier, configured with
/// exactly these origins; no metadata service, since registration asks for attestation "none" (a passkey proves who holds
/// it, not which make of authenticator it lives on).
/// </summary>
internal sealed class PasskeyRelyingParty
{
    private readonly Fido2? _fido2;

    /// <summary>How long a ceremony's challenge can be answered (WebAuthn recommends 5 minutes for UV-required ceremonies).</summary>
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>256-bit challenges: unguessable, and the key of their stored row (by hash).</summary>
    public const int ChallengeBytes = 32;

    /// <summary>The detail of the 404 every passkey endpoint answers when passkeys are off.</summary>
    public const string NotConfigured = "Passkeys are not configured on this deployment (FuncAuth:Passkeys:RelyingPartyId).";

    public PasskeyRelyingParty(IOptions<PasskeyOptions> options, IOptions<TokenOptions> tokens, IOptions<EmailOptions> email)
    {
        var settings = options.Value;
        Name = string.IsNullOrWhiteSpace(settings.RelyingPartyName) ? email.Value.ProductName : settings.RelyingPartyName.Trim();
        if (!string.IsNullOrEmpty(settings.RelyingPartyId))
        {
            Id = settings.RelyingPartyId;
            var origins = (settings.Origins ?? []).Where(o => !string.IsNullOrEmpty(o)).ToList();
            Origins = origins.Count > 0 ? origins : [$"https://{Id}"];
        }
        else if (Uri.TryCreate(tokens.Value.Issuer, UriKind.Absolute, out var issuer) && issuer.Scheme == Uri.UriSchemeHttps
            && PasskeyOptionsValidator.IsHostName(issuer.IdnHost))
        {
            Id = issuer.IdnHost;
            Origins = [issuer.GetLeftPart(UriPartial.Authority)];
        }
        else
        {
            Origins = [];
        }

        if (Id is not null)
        {
            _fido2 = new Fido2(new Fido2Configuration
            {
                RPID = Id,
                RPName = Name,
                Origins = new HashSet<string>(Origins, StringComparer.OrdinalIgnoreCase),
                Timeout = (uint)ChallengeLifetime.TotalMilliseconds,
                ChallengeSize = ChallengeBytes,
            });
        }
    }

    /// <summary>Whether passkeys are on: a relying party id was configured or derived.</summary>
    public bool IsConfigured => Id is not null;

    /// <summary>The RP id, or null when passkeys are off.</summary>
    public string? Id { get; }

    public string Name { get; }

    public IReadOnlyList<string> Origins { get; }

    /// <summary>The verifier; only when <see cref="IsConfigured"/>.</summary>
    public IFido2 Fido2 => _fido2 ?? throw new InvalidOperationException("Passkeys are not configured.");
}
