namespace FuncAuth.Clients;

/// <summary>
/// The registered OAuth 2.0 / OpenID Connect clients: <c>FuncAuth:Clients:N:…</c>, an array, so they can be deployed
/// from Bicep as app settings. Validated at start-up.
/// </summary>
public sealed class ClientOptions
{
    public const string SectionName = "FuncAuth:Clients";

    public IList<ClientRegistration> Clients { get; } = [];
}

/// <summary>One registered client: <c>FuncAuth:Clients:N</c>.</summary>
public sealed class ClientRegistration
{
    /// <summary>The client's identifier, as it sends it in <c>client_id</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Omitted: a public client (PKCE only). Present: a confidential client that authenticates at the token endpoint
    /// with <c>client_secret_basic</c> or <c>client_secret_post</c> (a Key Vault reference in Azure).
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>Exact-match redirect URIs; for native apps, loopback redirects match with any port (RFC 8252 §7.3).</summary>
    public IList<string> RedirectUris { get; } = [];

    /// <summary>Where <c>end-session</c> may send the browser afterwards (exact match).</summary>
    public IList<string> PostLogoutRedirectUris { get; } = [];

    /// <summary>The scopes the client may ask for (<c>openid</c>, <c>profile</c>, <c>email</c>, <c>offline_access</c>).</summary>
    public IList<string> AllowedScopes { get; } = [];

    /// <summary>The grant types the client may use; none listed means <c>authorization_code</c> and <c>refresh_token</c>.</summary>
    public IList<string> AllowedGrantTypes { get; } = [];

    /// <summary>Where it was read from (<c>FuncAuth:Clients:2</c>), for the messages that name its settings; not a setting.</summary>
    internal string? SettingPath { get; set; }
}
