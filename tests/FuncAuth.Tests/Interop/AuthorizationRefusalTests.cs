using System.Net;
using System.Text.Json;
using FuncAuth.Http;
using FuncAuth.Tests.BrowserSignIn;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Interop;

/// <summary>
/// The list of refusals of the browser flow, over HTTP as a client (or an attacker) sends them: an unknown client
/// and an unregistered redirect URI get an error page and no redirect; missing or <c>plain</c> PKCE and <c>prompt=none</c>
/// without a session are answered at the redirect URI with <c>error</c>, <c>state</c> and <c>iss</c>; a code is refused
/// with a wrong verifier, for another client, after 60 seconds, and a second time (which also revokes what the first use
/// issued); end-session never follows an unregistered post-logout redirect. The browser's part (the cookie, the form) is
/// played by <see cref="SignInFlow"/>; FuncAuth's clock is a fake one, moved only by the expiry test.
/// </summary>
public sealed class AuthorizationRefusalTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string RedirectUri = "https://rp.example/callback";
    private const string OtherRedirectUri = "https://other.example/callback";

    private static readonly ClientSettings Client = new("refusals-client")
    {
        RedirectUris = [RedirectUri],
        PostLogoutRedirectUris = ["https://rp.example/signed-out"],
    };

    private static readonly ClientSettings OtherClient = new("refusals-other-client") { RedirectUris = [OtherRedirectUri] };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FuncAuthApp _funcAuth = null!;
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _funcAuth = new FuncAuthApp(storage.ConnectionString, ClientSettings.For(new Uri(FuncAuthApp.Issuer), Client, OtherClient)) { Time = _time };
        _http = _funcAuth.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri(FuncAuthApp.Issuer + "/"),
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _funcAuth.DisposeAsync();
    }

    [Theory]
    [InlineData("unknown-client", RedirectUri)]
    [InlineData("refusals-client", "https://attacker.example/callback")]
    [InlineData("refusals-client", "https://rp.example/callback/")]
    [InlineData("refusals-client", OtherRedirectUri)]
    public async Task An_unknown_client_or_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(string clientId, string redirectUri)
    {
        var flow = new SignInFlow(_http);
        using var response = await flow.AuthorizeAsync(SignInFlow.AuthorizeQuery(clientId, redirectUri, SignInFlow.Pkce().Challenge));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("prompt", "none", "login_required")]
    public async Task Other_errors_go_back_to_the_redirect_uri_with_the_error_the_state_and_the_issuer(string parameter, string? value, string error)
    {
        var flow = new SignInFlow(_http);
        var query = SignInFlow.AuthorizeQuery(Client.ClientId, RedirectUri, SignInFlow.Pkce().Challenge, (parameter, value));
        if (parameter == "code_challenge_method" && value == "plain")
        {
            query["code_challenge"] = new string('a', 43);   // plain: the challenge is the verifier itself
        }

        using var response = await flow.AuthorizeAsync(query);

        var location = SignInFlow.LocationOf(response);
        Assert.StartsWith(RedirectUri + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var answer = SignInFlow.Query(location);
        Assert.Equal(error, answer["error"]);
        Assert.Equal(query["state"], answer["state"]);
        Assert.Equal(FuncAuthApp.Issuer, answer["iss"]);
        Assert.False(answer.ContainsKey("code"));
    }

    [Fact]
    public async Task A_code_is_refused_with_a_wrong_verifier()
    {
        var (code, _) = await CodeAsync();

        using var exchanged = await new SignInFlow(_http).ExchangeAsync(code, Client.ClientId, RedirectUri, SignInFlow.Pkce().Verifier);

        await AssertInvalidGrantAsync(exchanged);
    }

    [Fact]
    public async Task A_code_is_refused_for_another_client()
    {
        var (code, verifier) = await CodeAsync();

        using var asOther = await new SignInFlow(_http).ExchangeAsync(code, OtherClient.ClientId, OtherRedirectUri, verifier);
        await AssertInvalidGrantAsync(asOther);
        using var withOthersRedirect = await new SignInFlow(_http).ExchangeAsync(code, OtherClient.ClientId, RedirectUri, verifier);
        await AssertInvalidGrantAsync(withOthersRedirect);
    }

    [Fact]
    public async Task A_code_is_refused_after_its_60_seconds()
    {
        var (code, verifier) = await CodeAsync();

        _time.Advance(TimeSpan.FromSeconds(61));
        using var exchanged = await new SignInFlow(_http).ExchangeAsync(code, Client.ClientId, RedirectUri, verifier);

        await AssertInvalidGrantAsync(exchanged);
    }

    [Fact]
    public async Task A_code_used_twice_is_refused_and_the_tokens_of_its_first_use_are_revoked()
    {
        var (code, verifier) = await CodeAsync();
        var flow = new SignInFlow(_http);
        using var first = await flow.ExchangeAsync(code, Client.ClientId, RedirectUri, verifier);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var accessToken = await first.AccessTokenAsync();
        using (var before = await _http.VerifyAsync(accessToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var second = await flow.ExchangeAsync(code, Client.ClientId, RedirectUri, verifier);

        await AssertInvalidGrantAsync(second);
        using var after = await _http.VerifyAsync(accessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task End_session_never_follows_an_unregistered_post_logout_redirect()
    {
        var flow = new SignInFlow(_http);
        var (code, verifier) = await CodeAsync(flow);
        using var exchanged = await flow.ExchangeAsync(code, Client.ClientId, RedirectUri, verifier);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        using var json = await exchanged.JsonAsync();
        var idToken = json.RootElement.GetProperty("id_token").GetString()!;

        foreach (var target in new[] { "https://attacker.example/signed-out", RedirectUri, OtherRedirectUri })
        {
            using var response = await flow.GetAsync(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(
                FuncAuthRoutes.EndSession,
                new Dictionary<string, string?> { ["id_token_hint"] = idToken, ["post_logout_redirect_uri"] = target, ["state"] = "s" }));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }
    }

    /// <summary>A new user signs in through the page for <see cref="Client"/>; answers the code and its verifier.</summary>
    private async Task<(string Code, string Verifier)> CodeAsync(SignInFlow? flow = null)
    {
        var username = AuthClient.NewUsername();
        using (var registered = await _http.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var (verifier, challenge) = SignInFlow.Pkce();
        var query = SignInFlow.AuthorizeQuery(Client.ClientId, RedirectUri, challenge);
        var back = await (flow ?? new SignInFlow(_http)).SignInAndAuthorizeAsync(query, username, Password);
        Assert.StartsWith(RedirectUri + "?", back.AbsoluteUri, StringComparison.Ordinal);
        var answer = SignInFlow.Query(back);
        Assert.Equal(query["state"], answer["state"]);
        Assert.Equal(FuncAuthApp.Issuer, answer["iss"]);
        return (answer["code"]!, verifier);
    }

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_grant", json.RootElement.GetProperty("error").GetString());
    }
}
