using FuncAuth.Clients;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Clients;

/// <summary>The registered clients are read from FuncAuth:Clients:N and checked at start-up; each refusal names its setting.</summary>
public sealed class ClientOptionsTests(StorageFixture storage)
{
    private Task<string> StartupErrorAsync(IDictionary<string, string?> settings) =>
        StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, settings);

    private static Dictionary<string, string?> OneClient(params (string Key, string? Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:SigningKey"] = TestKeys.Es256,
            ["FuncAuth:Clients:0:ClientId"] = "app",
            ["FuncAuth:Clients:0:RedirectUris:0"] = "https://app.example/cb",
        };
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                all.Remove(key);
            }
            else
            {
                all[key] = value;
            }
        }

        return all;
    }

    [Fact]
    public async Task Registered_clients_are_bound_from_the_array_with_their_defaults()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, TestClients.Settings());
        var registry = app.Services.GetRequiredService<ClientRegistry>();

        var spa = registry.Find(TestClients.Spa)!;
        Assert.False(spa.IsConfidential);
        Assert.Equal(["email", "openid", "profile"], spa.AllowedScopes.Order(StringComparer.Ordinal));
        Assert.True(spa.AllowsRedirectUri(TestClients.SpaSecondRedirect));
        Assert.True(spa.AllowsPostLogoutRedirectUri(TestClients.SpaPostLogout));
        Assert.True(spa.AllowsGrantType("authorization_code"));
        Assert.True(spa.AllowsGrantType("refresh_token"));
        Assert.False(spa.AllowsGrantType("password"));

        // No scopes listed: every scope FuncAuth knows; a secret: confidential.
        var web = registry.Find(TestClients.Web)!;
        Assert.True(web.IsConfidential);
        Assert.Equal(["email", "offline_access", "openid", "profile"], web.AllowedScopes.Order(StringComparer.Ordinal));

        var refreshOnly = registry.Find(TestClients.RefreshOnly)!;
        Assert.False(refreshOnly.AllowsGrantType("authorization_code"));
        Assert.True(refreshOnly.AllowsGrantType("refresh_token"));

        // Ids are exact: no case folding, no trimming.
        Assert.Null(registry.Find("SPA"));
        Assert.Null(registry.Find(" spa"));
        Assert.Null(registry.Find(null));
    }

    [Theory]
    [InlineData("FuncAuth:Clients:0:ClientId", "", "FuncAuth:Clients:0:ClientId is required.")]
    [InlineData("FuncAuth:Clients:0:ClientId", "my app", "FuncAuth:Clients:0:ClientId must be 1 to 128 printable ASCII characters, with no spaces.")]
    [InlineData("FuncAuth:Clients:0:ClientId", "app\u00e9", "FuncAuth:Clients:0:ClientId must be 1 to 128 printable ASCII characters")]
    [InlineData("FuncAuth:Clients:0:AllowedScopes:0", "orders read", "FuncAuth:Clients:0:AllowedScopes:0 must be one of openid, profile, email, offline_access, or an API scope name of 1 to 128 characters")]
    [InlineData("FuncAuth:Clients:0:AllowedScopes:0", "orders\"read", "FuncAuth:Clients:0:AllowedScopes:0 must be one of openid")]
    [InlineData("FuncAuth:Clients:0:AllowedScopes:0", ".orders", "FuncAuth:Clients:0:AllowedScopes:0 must be one of openid")]
    [InlineData("FuncAuth:Clients:0:AllowedScopes:0", "orders,read", "FuncAuth:Clients:0:AllowedScopes:0 must be one of openid")]
    [InlineData("FuncAuth:Clients:0:AllowedScopes:0", "commandes.lecture\u00e9", "FuncAuth:Clients:0:AllowedScopes:0 must be one of openid")]
    [InlineData("FuncAuth:Clients:0:AllowedGrantTypes:0", "password", "FuncAuth:Clients:0:AllowedGrantTypes:0 must be one of authorization_code, refresh_token, client_credentials.")]
    [InlineData("FuncAuth:Clients:0:AllowedGrantTypes:0", "client_credentials", "FuncAuth:Clients:0:AllowedGrantTypes lists client_credentials, which needs a confidential client: set FuncAuth:Clients:0:ClientSecret")]
    [InlineData("FuncAuth:Clients:0:ClientSecret", " padded ", "FuncAuth:Clients:0:ClientSecret must not be blank or begin or end with spaces")]
    [InlineData("FuncAuth:Clients:0:ClientSecret", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s)", "FuncAuth:Clients:0:ClientSecret is an unresolved Key Vault reference")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "https://app.example/cb#top", "FuncAuth:Clients:0:RedirectUris:0 must not have a fragment")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "/cb", "FuncAuth:Clients:0:RedirectUris:0 must be an absolute URI")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "app.example/cb", "FuncAuth:Clients:0:RedirectUris:0 must be an absolute URI")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "http://app.example/cb", "FuncAuth:Clients:0:RedirectUris:0 may use http only for a loopback address")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "http://127.0.0.1.example.com/cb", "FuncAuth:Clients:0:RedirectUris:0 may use http only for a loopback address")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "javascript:alert(1)", "FuncAuth:Clients:0:RedirectUris:0 must use https, http to a loopback address, or a private-use scheme")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "myapp:/cb", "FuncAuth:Clients:0:RedirectUris:0 must use https, http to a loopback address, or a private-use scheme")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "https://user:pw@app.example/cb", "FuncAuth:Clients:0:RedirectUris:0 must not carry user information")]
    [InlineData("FuncAuth:Clients:0:RedirectUris:0", "https://app.example/a b", "FuncAuth:Clients:0:RedirectUris:0 must be written in printable ASCII")]
    [InlineData("FuncAuth:Clients:0:PostLogoutRedirectUris:0", "http://evil.example/", "FuncAuth:Clients:0:PostLogoutRedirectUris:0 may use http only for a loopback address")]
    public async Task A_bad_client_setting_stops_start_up_naming_it(string key, string value, string expected)
    {
        var message = await StartupErrorAsync(OneClient((key, value)));
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_for_the_code_grant_needs_a_redirect_uri() =>
        Assert.Contains(
            "FuncAuth:Clients:0:RedirectUris needs at least one redirect URI",
            await StartupErrorAsync(OneClient(("FuncAuth:Clients:0:RedirectUris:0", null))),
            StringComparison.Ordinal);

    [Fact]
    public async Task Client_ids_are_unique_and_the_refusal_names_the_second()
    {
        var message = await StartupErrorAsync(OneClient(("FuncAuth:Clients:1:ClientId", "app"), ("FuncAuth:Clients:1:RedirectUris:0", "https://other.example/cb")));
        Assert.Contains("FuncAuth:Clients:1:ClientId \"app\" is registered twice", message, StringComparison.Ordinal);
        Assert.DoesNotContain("FuncAuth:Clients:0:ClientId", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_names_the_element_as_it_was_written_even_with_a_gap_in_the_indexes()
    {
        var message = await StartupErrorAsync(OneClient(("FuncAuth:Clients:5:ClientId", "other"), ("FuncAuth:Clients:5:RedirectUris:0", "http://other.example/cb")));
        Assert.Contains("FuncAuth:Clients:5:RedirectUris:0 may use http only", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestKeys.Hs256)]
    [InlineData("{\"kty\":\"oct\",\"k\":\"dGVzdC1zaWduaW5nLWtleS1vZi0zMi1ieXRlcy0hISE\"}")]
    public async Task Clients_with_a_symmetric_signing_key_stop_start_up_naming_the_signing_key(string key)
    {
        var message = await StartupErrorAsync(OneClient(("FuncAuth:Tokens:SigningKey", key)));
        Assert.Contains("FuncAuth:Tokens:SigningKey must be an asymmetric key", message, StringComparison.Ordinal);

        // The key's value is never quoted.
        Assert.DoesNotContain(TestKeys.Hs256, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_is_never_quoted_in_a_refusal()
    {
        var message = await StartupErrorAsync(OneClient(("FuncAuth:Clients:0:ClientSecret", "s3cret-value-that-must-not-leak"), ("FuncAuth:Clients:0:AllowedScopes:0", "not a scope")));
        Assert.Contains("FuncAuth:Clients:0:AllowedScopes:0", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value-that-must-not-leak", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FuncAuth:Clients:0:RedirectUri:0", "FuncAuth:Clients:0:RedirectUris:0")]
    [InlineData("FuncAuth:Clients:0:ClientID2", "FuncAuth:Clients:0:ClientId")]
    [InlineData("FuncAuth:Clients:0:Secret", "FuncAuth:Clients:0:ClientSecret")]
    public async Task A_misspelt_key_in_a_client_stops_start_up_with_a_suggestion(string typo, string suggestion)
    {
        var message = await StartupErrorAsync(OneClient((typo, "x")));
        Assert.Contains($"{typo} is not a FuncAuth setting; did you mean {suggestion}?", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_value_for_the_client_list_is_refused_as_a_list()
    {
        var message = await StartupErrorAsync(new Dictionary<string, string?> { ["FuncAuth:Clients"] = "app" });
        Assert.Contains("FuncAuth:Clients is a list: set FuncAuth:Clients:0", message, StringComparison.Ordinal);
    }
}
