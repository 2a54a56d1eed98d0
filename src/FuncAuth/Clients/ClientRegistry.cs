using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FuncAuth.Clients;

/// <summary>The registered clients, by <c>client_id</c> (compared exactly: client ids are case-sensitive).</summary>
internal sealed class ClientRegistry(IOptions<ClientOptions> options)
{
    private readonly FrozenDictionary<string, OAuthClient> _clients =
        options.Value.Clients.Select(OAuthClient.From).ToFrozenDictionary(c => c.ClientId, StringComparer.Ordinal);

    /// <summary>Whether any client is registered (browser sign-in is then in use).</summary>
    public bool Any => _clients.Count > 0;

    /// <summary>The registered client, or null for an unknown (or absent) id.</summary>
    public OAuthClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);
}
