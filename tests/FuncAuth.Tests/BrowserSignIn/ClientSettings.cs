namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// A client registration as FuncAuth reads it from configuration (<c>FuncAuth:Clients:N:…</c>, the shape, what
/// Bicep deploys as app settings), for the tests that register relying parties.
/// </summary>
public sealed record ClientSettings(string ClientId)
{
    public string? ClientSecret { get; init; }

    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];

    public IReadOnlyList<string> AllowedScopes { get; init; } = ["openid", "profile", "email", "offline_access"];

    /// <summary>The app settings of <paramref name="clients"/>, numbered in order, with FuncAuth's issuer and an ES256 key.</summary>
    /// <remarks>
    /// OpenID Connect needs an asymmetric key (a relying party checks the ID token's signature with the published public
    /// key), and the issuer must be FuncAuth's own base URL: clients find the metadata at issuer + /.well-known/….
    /// </remarks>
    public static Dictionary<string, string?> For(Uri issuer, params ClientSettings[] clients)
    {
        var settings = new Dictionary<string, string?>(Support.TestKeys.Active(Support.TestKeys.Es256))
        {
            ["FuncAuth:Tokens:Issuer"] = issuer.AbsoluteUri.TrimEnd('/'),
        };
        for (var i = 0; i < clients.Length; i++)
        {
            var client = clients[i];
            var prefix = $"FuncAuth:Clients:{i}:";
            settings[prefix + "ClientId"] = client.ClientId;
            if (client.ClientSecret is not null)
            {
                settings[prefix + "ClientSecret"] = client.ClientSecret;
            }

            Add(settings, prefix + "RedirectUris", client.RedirectUris);
            Add(settings, prefix + "PostLogoutRedirectUris", client.PostLogoutRedirectUris);
            Add(settings, prefix + "AllowedScopes", client.AllowedScopes);
        }

        return settings;
    }

    private static void Add(Dictionary<string, string?> settings, string key, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            settings[$"{key}:{i}"] = values[i];
        }
    }
}
