using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace FuncAuth.Clients;

/// <summary>A registered client as the endpoints use it, read once from its validated <see cref="ClientRegistration"/>.</summary>
internal sealed class OAuthClient
{
    public required string ClientId { get; init; }

    /// <summary>
    /// The SHA-256 of the secret, for confidential clients. Both sides of a comparison are hashed first, so the
    /// comparison takes the same time whatever the lengths, and the secret itself is not kept in this object.
    /// </summary>
    private byte[]? SecretHash { get; init; }

    private IReadOnlyList<string> RedirectUris { get; init; } = [];

    private FrozenSet<string> PostLogoutRedirectUris { get; init; } = FrozenSet<string>.Empty;

    private FrozenSet<string> GrantTypes { get; init; } = FrozenSet<string>.Empty;

    /// <summary>Whether it has a secret and must authenticate at the token endpoint.</summary>
    public bool IsConfidential => SecretHash is not null;

    public IReadOnlySet<string> AllowedScopes { get; private init; } = FrozenSet<string>.Empty;

    /// <summary>
    /// Its allowed API scopes (every allowed scope that is not a user's), in the order registered: what the client
    /// credentials grant gives when the request names no scope.
    /// </summary>
    public IReadOnlyList<string> ApiScopes { get; private init; } = [];

    /// <summary>A client from its registration, which <see cref="ClientOptionsValidator"/> has already accepted.</summary>
    public static OAuthClient From(ClientRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new OAuthClient
        {
            ClientId = registration.ClientId!,
            SecretHash = string.IsNullOrEmpty(registration.ClientSecret) ? null : Hash(registration.ClientSecret),
            RedirectUris = [.. registration.RedirectUris],
            PostLogoutRedirectUris = registration.PostLogoutRedirectUris.ToFrozenSet(StringComparer.Ordinal),
            AllowedScopes = (registration.AllowedScopes.Count == 0 ? ClientVocabulary.DefaultScopes : (IEnumerable<string>)registration.AllowedScopes).ToFrozenSet(StringComparer.Ordinal),
            ApiScopes = [.. registration.AllowedScopes.Where(ClientVocabulary.IsApiScopeName).Distinct(StringComparer.Ordinal)],
            GrantTypes = (registration.AllowedGrantTypes.Count == 0 ? ClientVocabulary.DefaultGrantTypes : (IEnumerable<string>)registration.AllowedGrantTypes).ToFrozenSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Exact string match, or a loopback redirect whose only difference is the port (RFC 8252 §7.3).</summary>
    public bool AllowsRedirectUri(string redirectUri) =>
        redirectUri is not null && RedirectUris.Any(registered => RedirectUriRules.Matches(registered, redirectUri));

    /// <summary>Exact string match only.</summary>
    /// <summary>The web origins of its http(s) redirect URIs: where a browser app of this client runs.</summary>
    public IEnumerable<string> WebOrigins =>
        RedirectUris.Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http"
            ? parsed.GetLeftPart(UriPartial.Authority)
            : null).OfType<string>();

    public bool AllowsPostLogoutRedirectUri(string redirectUri) => redirectUri is not null && PostLogoutRedirectUris.Contains(redirectUri);

    public bool AllowsGrantType(string grantType) => grantType is not null && GrantTypes.Contains(grantType);

    /// <summary>Whether the presented secret is the client's, compared in constant time. Always false for a public client.</summary>
    public bool SecretMatches(string presented)
    {
        if (presented is null)
        {
            return false;
        }

        // Hash even when there is nothing to compare with, so a public client answers in the same time.
        var hash = Hash(presented);
        return SecretHash is not null && CryptographicOperations.FixedTimeEquals(hash, SecretHash);
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
