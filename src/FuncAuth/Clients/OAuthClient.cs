namespace FuncAuth.Clients;

/// <summary>A registered client as the endpoints use it, read once from its validated <see cref="ClientRegistration"/>.</summary>
internal sealed class OAuthClient
{
    public required string ClientId { get; init; }

    /// <summary>Whether it has a secret and must authenticate at the token endpoint.</summary>
    public bool IsConfidential => throw new NotImplementedException("skeleton");

    public IReadOnlySet<string> AllowedScopes => throw new NotImplementedException("skeleton");

    /// <summary>Exact string match, or a loopback redirect whose only difference is the port (RFC 8252 §7.3).</summary>
    public bool AllowsRedirectUri(string redirectUri) => throw new NotImplementedException("skeleton");

    public bool AllowsPostLogoutRedirectUri(string redirectUri) => throw new NotImplementedException("skeleton");

    public bool AllowsGrantType(string grantType) => throw new NotImplementedException("skeleton");

    /// <summary>Whether the presented secret is the client's, compared in constant time.</summary>
    public bool SecretMatches(string presented) => throw new NotImplementedException("skeleton");
}
