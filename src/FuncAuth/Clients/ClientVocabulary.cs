using System.Text.RegularExpressions;

namespace FuncAuth.Clients;

/// <summary>
/// What a registered client may be allowed: the scopes FuncAuth grants and the grant types it runs for clients. A new
/// grant type is one more entry in <see cref="GrantTypes"/> and in <see cref="DefaultGrantTypes"/> if every client should
/// have it.
/// </summary>
internal static partial class ClientVocabulary
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string OfflineAccess = "offline_access";

    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";

    /// <summary>RFC 6749 §4.4: a service client gets a token for itself, with its own credentials; no user takes part.</summary>
    public const string ClientCredentialsGrant = "client_credentials";

    /// <summary>The longest API scope name; scope strings travel in every token, so names are kept short.</summary>
    public const int MaxApiScopeLength = 128;

    /// <summary>The rule for API scope names, as the start-up check and the README state it.</summary>
    public const string ApiScopeRule =
        "1 to 128 characters: ASCII letters, digits and . _ - : / , beginning with a letter or digit (e.g. orders.read)";

    /// <summary>
    /// The scopes of a user's sign-in (OpenID Connect Core §5.4 and §11), in the order the discovery document lists them.
    /// They are granted only through a user's sign-in, never to a service client's own token.
    /// </summary>
    public static IReadOnlyList<string> Scopes { get; } = [OpenId, Profile, Email, OfflineAccess];

    /// <summary>The grant types a client may be registered for.</summary>
    public static IReadOnlyList<string> GrantTypes { get; } = [AuthorizationCodeGrant, RefreshTokenGrant, ClientCredentialsGrant];

    /// <summary>A client that lists no grant types has these.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes { get; } = [AuthorizationCodeGrant, RefreshTokenGrant];

    /// <summary>A client that lists no scopes may ask for every user scope FuncAuth knows (and no API scope).</summary>
    public static IReadOnlyList<string> DefaultScopes => Scopes;

    /// <summary>Whether <paramref name="scope"/> is one of the user sign-in scopes.</summary>
    public static bool IsUserScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="scope"/> may name an API scope (<c>orders.read</c>, <c>funcauth.admin</c>). A strict subset
    /// of RFC 6749 §3.3's scope-token (%x21 / %x23-5B / %x5D-7E): no quotes, backslashes, spaces, commas or anything a
    /// header, a log line or a policy string would have to escape, and no user scope.
    /// </summary>
    public static bool IsApiScopeName(string? scope) =>
        scope is { Length: > 0 and <= MaxApiScopeLength } && ApiScopeName().IsMatch(scope) && !IsUserScope(scope);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ApiScopeName();
}
