using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FuncAuth.Clients;

/// <summary>The registered clients, by <c>client_id</c> (compared exactly: client ids are case-sensitive).</summary>
internal sealed class ClientRegistry
{
    private readonly FrozenDictionary<string, OAuthClient> _clients;

    public ClientRegistry(IOptions<ClientOptions> options)
    {
        _clients = options.Value.Clients.Select(OAuthClient.From).ToFrozenDictionary(c => c.ClientId, StringComparer.Ordinal);
        _webOrigins = _clients.Values.SelectMany(c => c.WebOrigins).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        AnyServiceClient = _clients.Values.Any(c => c.AllowsGrantType(ClientVocabulary.ClientCredentialsGrant));
    }

    private readonly FrozenSet<string> _webOrigins;

    /// <summary>Whether any client is registered (browser sign-in is then in use).</summary>
    public bool Any => _clients.Count > 0;

    /// <summary>
    /// Whether <paramref name="origin"/> (a request's <c>Origin</c> header) is where a registered client's browser app runs:
    /// the origin of one of its http(s) redirect URIs.
    /// </summary>
    public bool IsClientOrigin(string origin) => _webOrigins.Contains(origin);

    /// <summary>Whether any registered client may use the client credentials grant (it is offered only then).</summary>
    public bool AnyServiceClient { get; }

    /// <summary>The registered client, or null for an unknown (or absent) id.</summary>
    public OAuthClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);
}
