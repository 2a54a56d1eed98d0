using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Clients;

/// <summary>
/// Registered clients for tests, as app settings (<c>FuncAuth:Clients:N:…</c>), with the asymmetric signing key OpenID
/// Connect needs: a public single-page app, a confidential web app, a native app on a loopback redirect, and an app that
/// may only refresh.
/// </summary>
public static class TestClients
{
    public const string Spa = "spa";
    public const string SpaRedirect = "https://spa.example/callback";
    public const string SpaSecondRedirect = "https://spa.example/callback?tenant=1";
    public const string SpaPostLogout = "https://spa.example/signed-out";

    public const string Web = "web-app";
    public const string WebSecret = "web-app-secret-0123456789";
    public const string WebRedirect = "https://web.example/signin-oidc";

    public const string Native = "com.example.native";
    public const string NativeRedirect = "http://127.0.0.1/callback";
    public const string NativeAppRedirect = "com.example.native:/oauth2redirect";

    public const string RefreshOnly = "refresh-only";

    /// <summary>The settings of every test client, plus an ES256 signing key, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:SigningKey"] = TestKeys.Es256,
            ["FuncAuth:Clients:0:ClientId"] = Spa,
            ["FuncAuth:Clients:0:RedirectUris:0"] = SpaRedirect,
            ["FuncAuth:Clients:0:RedirectUris:1"] = SpaSecondRedirect,
            ["FuncAuth:Clients:0:PostLogoutRedirectUris:0"] = SpaPostLogout,
            ["FuncAuth:Clients:0:AllowedScopes:0"] = "openid",
            ["FuncAuth:Clients:0:AllowedScopes:1"] = "profile",
            ["FuncAuth:Clients:0:AllowedScopes:2"] = "email",
            ["FuncAuth:Clients:1:ClientId"] = Web,
            ["FuncAuth:Clients:1:ClientSecret"] = WebSecret,
            ["FuncAuth:Clients:1:RedirectUris:0"] = WebRedirect,
            ["FuncAuth:Clients:2:ClientId"] = Native,
            ["FuncAuth:Clients:2:RedirectUris:0"] = NativeRedirect,
            ["FuncAuth:Clients:2:RedirectUris:1"] = NativeAppRedirect,
            ["FuncAuth:Clients:3:ClientId"] = RefreshOnly,
            ["FuncAuth:Clients:3:AllowedGrantTypes:0"] = "refresh_token",
            ["FuncAuth:Clients:3:RedirectUris:0"] = "https://refresh.example/cb",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
