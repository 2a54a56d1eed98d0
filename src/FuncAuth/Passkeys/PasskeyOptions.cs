namespace FuncAuth.Passkeys;

/// <summary>
/// The WebAuthn relying party: <c>FuncAuth:Passkeys</c>. Unset, it is derived from <c>FuncAuth:Tokens:Issuer</c> when that is
/// an https URL (RP id = its host, origin = its origin); otherwise passkeys are off and their endpoints answer 404.
/// </summary>
public sealed class PasskeyOptions
{
    public const string SectionName = "FuncAuth:Passkeys";

    /// <summary>
    /// The relying party id: a host name (no scheme, port or path, not an IP address), lower case. Passkeys are bound to it
    /// for good: changing it later makes every registered passkey unusable.
    /// </summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The name authenticators show beside the passkey; default <c>FuncAuth:Email:ProductName</c>.</summary>
    public string? RelyingPartyName { get; set; }

    /// <summary>
    /// The origins pages that call WebAuthn are served from (https, or http for localhost only), each the RP id's host or a
    /// subdomain of it; default <c>https://</c> + the RP id.
    /// </summary>
    public string[]? Origins { get; set; }
}
