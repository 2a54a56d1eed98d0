namespace FuncAuth.Clients;

/// <summary>The registered clients, by <c>client_id</c>.</summary>
internal sealed class ClientRegistry
{
    /// <summary>The registered client, or null for an unknown (or absent) id.</summary>
    public OAuthClient? Find(string? clientId) => throw new NotImplementedException("skeleton");
}
