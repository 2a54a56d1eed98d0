namespace FuncAuth.Clients;

/// <summary>
/// What a registered client may be allowed: the scopes FuncAuth grants and the grant types it runs for clients. A new
/// grant type (client_credentials, #24) is one more entry in <see cref="GrantTypes"/> and in <see cref="DefaultGrantTypes"/>
/// if every client should have it.
/// </summary>
internal static class ClientVocabulary
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string OfflineAccess = "offline_access";

    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";

    /// <summary>The scopes FuncAuth knows (OpenID Connect Core §5.4 and §11), in the order the discovery document lists them.</summary>
    public static IReadOnlyList<string> Scopes { get; } = [OpenId, Profile, Email, OfflineAccess];

    /// <summary>The grant types a client may be registered for.</summary>
    public static IReadOnlyList<string> GrantTypes { get; } = [AuthorizationCodeGrant, RefreshTokenGrant];

    /// <summary>A client that lists no grant types has these.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes { get; } = [AuthorizationCodeGrant, RefreshTokenGrant];

    /// <summary>A client that lists no scopes may ask for every scope FuncAuth knows.</summary>
    public static IReadOnlyList<string> DefaultScopes => Scopes;
}
