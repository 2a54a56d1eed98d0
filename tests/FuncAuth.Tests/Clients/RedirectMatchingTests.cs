using FuncAuth.Clients;

namespace FuncAuth.Tests.Clients;

/// <summary>Redirect URIs match exactly, as strings; a loopback redirect may differ in its port only (RFC 8252 §7.3).</summary>
public sealed class RedirectMatchingTests
{
    private static readonly OAuthClient Client = OAuthClient.From(Registration());

    private static ClientRegistration Registration()
    {
        var registration = new ClientRegistration { ClientId = "app", ClientSecret = "the-secret-of-app" };
        registration.RedirectUris.Add("https://app.example/cb");
        registration.RedirectUris.Add("http://127.0.0.1/native");
        registration.RedirectUris.Add("http://[::1]:8080/native");
        registration.RedirectUris.Add("http://localhost/native?x=1");
        registration.RedirectUris.Add("com.example.app:/oauth2redirect");
        registration.PostLogoutRedirectUris.Add("https://app.example/bye");
        return registration;
    }

    [Theory]
    [InlineData("https://app.example/cb")]
    [InlineData("http://127.0.0.1/native")]
    [InlineData("http://127.0.0.1:51234/native")]
    [InlineData("http://127.0.0.1:1/native")]
    [InlineData("http://[::1]/native")]
    [InlineData("http://[::1]:65535/native")]
    [InlineData("http://localhost:3000/native?x=1")]
    [InlineData("com.example.app:/oauth2redirect")]
    public void Registered_redirects_match(string presented) => Assert.True(Client.AllowsRedirectUri(presented));

    [Theory]
    [InlineData("https://app.example/cb/")] // a trailing slash
    [InlineData("https://app.example/cb/../evil")] // dot segments are not resolved
    [InlineData("https://app.example/cbx")] // a prefix
    [InlineData("https://app.example/cb?next=https://evil.example")] // a query added
    [InlineData("https://app.example/cb#x")]
    [InlineData("https://APP.example/cb")] // no case folding
    [InlineData("https://app.example/CB")]
    [InlineData("HTTPS://app.example/cb")]
    [InlineData("https://app.example:443/cb")] // the default port written out is another string
    [InlineData("https://app.example%2Fcb")]
    [InlineData("https://app.example.evil.example/cb")]
    [InlineData("https://evil.example/cb")]
    [InlineData("http://app.example/cb")] // https only
    [InlineData("https://127.0.0.1:443/native")] // the loopback rule is for http only
    [InlineData("http://127.0.0.1:51234/native/")] // loopback: only the port may differ
    [InlineData("http://127.0.0.1:51234/Native")]
    [InlineData("http://127.0.0.1:99999/native")] // not a port
    [InlineData("http://127.0.0.1:0/native")]
    [InlineData("http://127.0.0.1:51234@evil.example/native")]
    [InlineData("http://127.0.0.1.evil.example/native")]
    [InlineData("http://127.0.0.2/native")]
    [InlineData("http://localhost/native")] // registered for localhost with a query
    [InlineData("http://[::1]:8080/native/x")]
    [InlineData("http://localhost:3000/native?x=2")]
    [InlineData("com.example.app:/oauth2redirect/x")]
    [InlineData("com.example.evil:/oauth2redirect")]
    [InlineData("")]
    public void Anything_else_does_not(string presented) => Assert.False(Client.AllowsRedirectUri(presented));

    [Fact]
    public void Post_logout_redirects_match_exactly()
    {
        Assert.True(Client.AllowsPostLogoutRedirectUri("https://app.example/bye"));
        Assert.False(Client.AllowsPostLogoutRedirectUri("https://app.example/bye/"));
        Assert.False(Client.AllowsPostLogoutRedirectUri("https://app.example/cb"));
    }

    [Fact]
    public void The_secret_matches_only_itself_and_a_public_client_has_none()
    {
        Assert.True(Client.SecretMatches("the-secret-of-app"));
        Assert.False(Client.SecretMatches("the-secret-of-ap"));
        Assert.False(Client.SecretMatches("the-secret-of-app "));
        Assert.False(Client.SecretMatches("THE-SECRET-OF-APP"));
        Assert.False(Client.SecretMatches(string.Empty));

        var publicClient = OAuthClient.From(new ClientRegistration { ClientId = "public" });
        Assert.False(publicClient.IsConfidential);
        Assert.False(publicClient.SecretMatches(string.Empty));
        Assert.False(publicClient.SecretMatches("anything"));
    }
}
