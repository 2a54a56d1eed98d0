using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Authorization;
using FuncAuth.Http;
using FuncAuth.Sessions;
using FuncAuth.Tests.Clients;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Authorization;

/// <summary>
/// <c>GET api/auth/authorize</c> over HTTP on the real pipeline. The single-sign-on session and the code store are stood in
/// for (the endpoint reaches them through <see cref="BrowserSessionLookup"/> and <see cref="AuthorizationCodeIssuer"/>), so
/// every branch is checked here: the error page for an unknown client or redirect URI, the errors sent back to the client,
/// the sign-in redirect, and the code, by query or form_post.
/// </summary>
public sealed partial class AuthorizeEndpointTests : IAsyncLifetime
{
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636 Appendix B
    private const string State = "af0ifjsldkj+/=&x y";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<AuthorizationGrant> _grants = new();
    private readonly FuncAuthApp _app;
    private Session? _session;
    private HttpClient _client = null!;

    public AuthorizeEndpointTests(StorageFixture storage)
    {
        _app = new FuncAuthApp(storage.ConnectionString, TestClients.Settings())
        {
            Time = _time,
            TestServices = services =>
            {
                services.AddSingleton<BrowserSessionLookup>((_, _) => Task.FromResult(_session));
                services.AddSingleton<AuthorizationCodeIssuer>((grant, _) =>
                {
                    _grants.Enqueue(grant);
                    return Task.FromResult("code-" + _grants.Count);
                });
            },
        };
    }

    public ValueTask InitializeAsync()
    {
        _client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private static List<KeyValuePair<string, string?>> Valid(string clientId = TestClients.Spa, string redirectUri = TestClients.SpaRedirect) =>
    [
        new("response_type", "code"),
        new("client_id", clientId),
        new("redirect_uri", redirectUri),
        new("scope", "openid profile"),
        new("state", State),
        new("nonce", "n-0S6_WzA2Mj"),
        new("code_challenge", Challenge),
        new("code_challenge_method", "S256"),
    ];

    private static List<KeyValuePair<string, string?>> With(List<KeyValuePair<string, string?>> query, string name, string? value)
    {
        var changed = query.Where(p => p.Key != name).ToList();
        if (value is not null)
        {
            changed.Add(new(name, value));
        }

        return changed;
    }

    private Task<HttpResponseMessage> AuthorizeAsync(IEnumerable<KeyValuePair<string, string?>> query) =>
        _client.GetAsync(QueryHelpers.AddQueryString("/" + FuncAuthRoutes.Authorize, query));

    private void SignedIn(TimeSpan ago) => _session = new Session(
        "user-1", "browser-session-1", "alice", _time.GetUtcNow() - ago, _time.GetUtcNow(), _time.GetUtcNow().AddDays(1),
        _time.GetUtcNow().AddDays(1), "hash", null, null, null, [], default, Kind: SessionKind.Browser);

    /// <summary>The parameters of a redirect to <paramref name="redirectUri"/>; fails for any other Location.</summary>
    private static Dictionary<string, StringValues> RedirectedTo(HttpResponseMessage response, string redirectUri)
    {
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var question = location.IndexOf('?', StringComparison.Ordinal);
        Assert.True(question > 0, location);
        var registeredQuery = redirectUri.Contains('?', StringComparison.Ordinal) ? redirectUri[(redirectUri.IndexOf('?', StringComparison.Ordinal) + 1)..] + "&" : string.Empty;
        var baseUri = redirectUri.Split('?')[0];
        Assert.Equal(baseUri, location[..question]);
        Assert.StartsWith(registeredQuery, location[(question + 1)..], StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(location[question..]);
    }

    private static void AssertError(HttpResponseMessage response, string error, string redirectUri = TestClients.SpaRedirect, string? state = State)
    {
        var parameters = RedirectedTo(response, redirectUri);
        Assert.Equal(error, parameters["error"]);
        Assert.False(string.IsNullOrEmpty(parameters["error_description"]));
        Assert.Equal(FuncAuthApp.Issuer, parameters["iss"]);
        if (state is null)
        {
            Assert.False(parameters.ContainsKey("state"));
        }
        else
        {
            Assert.Equal(state, parameters["state"]);
        }

        Assert.False(parameters.ContainsKey("code"));
    }

    private async Task AssertErrorPageAsync(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(AuthorizationResponses.ErrorHeading, html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);

        // Not a link back either: the page names no address the request carried.
        Assert.DoesNotContain("evil", html, StringComparison.Ordinal);
        Assert.Empty(_grants);
    }

    [Fact]
    public async Task An_unknown_client_gets_an_error_page_and_no_redirect()
    {
        using var response = await AuthorizeAsync(With(With(Valid(), "client_id", "unknown-app"), "redirect_uri", "https://evil.example/cb"));
        await AssertErrorPageAsync(response, "is not registered with this service");
    }

    [Fact]
    public async Task A_missing_or_repeated_client_id_gets_an_error_page()
    {
        using var missing = await AuthorizeAsync(With(Valid(), "client_id", null));
        await AssertErrorPageAsync(missing, "client_id is missing or repeated");

        using var repeated = await AuthorizeAsync([.. Valid(), new("client_id", TestClients.Web)]);
        await AssertErrorPageAsync(repeated, "client_id is missing or repeated");
    }

    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("https://spa.example/callback/")]
    [InlineData("https://spa.example/callbackx")]
    [InlineData("https://SPA.example/callback")]
    [InlineData("https://spa.example/callback?next=https://evil.example")]
    [InlineData("https://spa.example.evil.example/callback")]
    [InlineData("http://spa.example/callback")]
    [InlineData(TestClients.WebRedirect)] // another client's
    public async Task An_unregistered_redirect_uri_gets_an_error_page_no_redirect_and_a_security_event(string redirectUri)
    {
        using var response = await AuthorizeAsync(With(Valid(), "redirect_uri", redirectUri));
        await AssertErrorPageAsync(response, "is not registered for this application");
        Assert.Contains(_app.Logs.Events, e => e.Id == 4061 && e.Name == "AuthorizationRedirectRefused");
    }

    [Fact]
    public async Task A_missing_redirect_uri_gets_an_error_page()
    {
        using var response = await AuthorizeAsync(With(Valid(), "redirect_uri", null));
        await AssertErrorPageAsync(response, "redirect_uri is missing or repeated");
    }

    [Fact]
    public async Task Without_a_code_challenge_the_error_goes_back_with_state_and_iss()
    {
        using var response = await AuthorizeAsync(With(With(Valid(), "code_challenge", null), "code_challenge_method", null));
        AssertError(response, "invalid_request");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData(null)] // omitted means plain (RFC 7636 §4.3)
    [InlineData("s256")]
    public async Task A_challenge_method_other_than_S256_is_refused(string? method)
    {
        using var response = await AuthorizeAsync(With(Valid(), "code_challenge_method", method));
        AssertError(response, "invalid_request");
    }

    [Fact]
    public async Task A_challenge_that_is_no_sha256_is_refused()
    {
        using var response = await AuthorizeAsync(With(Valid(), "code_challenge", "short"));
        AssertError(response, "invalid_request");
    }

    [Theory]
    [InlineData("token", "unsupported_response_type")]
    [InlineData("id_token", "unsupported_response_type")]
    [InlineData("code id_token", "unsupported_response_type")]
    [InlineData(null, "invalid_request")]
    public async Task Only_the_code_response_type_is_served(string? responseType, string error)
    {
        using var response = await AuthorizeAsync(With(Valid(), "response_type", responseType));
        AssertError(response, error);
    }

    [Theory]
    [InlineData("openid admin")] // not a scope FuncAuth knows
    [InlineData("openid offline_access")] // one this client may not have
    [InlineData(null)]
    public async Task A_scope_outside_the_clients_is_invalid_scope(string? scope)
    {
        using var response = await AuthorizeAsync(With(Valid(), "scope", scope));
        AssertError(response, "invalid_scope");
    }

    [Fact]
    public async Task A_parameter_sent_twice_is_refused_and_a_repeated_state_is_not_echoed()
    {
        using var twiceScope = await AuthorizeAsync([.. Valid(), new("scope", "openid")]);
        AssertError(twiceScope, "invalid_request");

        using var twiceState = await AuthorizeAsync([.. Valid(), new("state", "other")]);
        AssertError(twiceState, "invalid_request", state: null);
    }

    [Theory]
    [InlineData("prompt", "consent")]
    [InlineData("prompt", "none login")]
    [InlineData("max_age", "-1")]
    [InlineData("max_age", "1e3")]
    [InlineData("response_mode", "fragment")]
    [InlineData("request", "eyJhbGciOiJub25lIn0.e30.")]
    public async Task Other_bad_parameters_are_sent_back_as_errors(string name, string value)
    {
        using var response = await AuthorizeAsync(With(Valid(), name, value));
        var parameters = RedirectedTo(response, TestClients.SpaRedirect);
        Assert.NotEqual(StringValues.Empty, parameters["error"]);
        Assert.Equal(State, parameters["state"]);
        Assert.Equal(FuncAuthApp.Issuer, parameters["iss"]);
    }

    [Fact]
    public async Task A_client_not_registered_for_the_code_grant_is_unauthorized_client()
    {
        using var response = await AuthorizeAsync(Valid(TestClients.RefreshOnly, "https://refresh.example/cb"));
        AssertError(response, "unauthorized_client", "https://refresh.example/cb");
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required_with_state_and_iss()
    {
        using var response = await AuthorizeAsync(With(Valid(), "prompt", "none"));
        AssertError(response, "login_required");
    }

    [Fact]
    public async Task Without_a_session_the_browser_goes_to_the_sign_in_page_with_the_same_query()
    {
        var uri = QueryHelpers.AddQueryString("/" + FuncAuthRoutes.Authorize, With(Valid(), "login_hint", "alice"));
        using var response = await _client.GetAsync(uri);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/" + FuncAuthRoutes.LoginPage + uri[uri.IndexOf('?', StringComparison.Ordinal)..], response.Headers.Location!.OriginalString);
        Assert.Empty(_grants);
    }

    [Fact]
    public async Task With_a_session_a_code_bound_to_the_request_goes_back_with_state_and_iss()
    {
        SignedIn(TimeSpan.FromMinutes(5));
        using var response = await AuthorizeAsync(With(Valid(), "scope", "profile openid openid"));

        var parameters = RedirectedTo(response, TestClients.SpaRedirect);
        Assert.Equal("code-1", parameters["code"]);
        Assert.Equal(State, parameters["state"]);
        Assert.Equal(FuncAuthApp.Issuer, parameters["iss"]);
        Assert.False(parameters.ContainsKey("error"));

        var grant = Assert.Single(_grants);
        Assert.Equal(TestClients.Spa, grant.ClientId);
        Assert.Equal(TestClients.SpaRedirect, grant.RedirectUri);
        Assert.Equal(Challenge, grant.CodeChallenge);
        Assert.Equal("n-0S6_WzA2Mj", grant.Nonce);
        Assert.Equal("openid profile", grant.Scope);
        Assert.Equal(("user-1", "alice", "browser-session-1"), (grant.UserId, grant.Username, grant.BrowserSessionId));
        Assert.Equal(_session!.CreatedAt, grant.AuthTime);
        Assert.Equal(["pwd"], grant.Methods);
        Assert.Contains(_app.Logs.Events, e => e.Id == 4062 && e.Name == "AuthorizationCodeIssued");
    }

    [Fact]
    public async Task A_code_goes_to_a_registered_redirect_uri_with_its_own_query_kept()
    {
        SignedIn(TimeSpan.FromMinutes(5));
        using var response = await AuthorizeAsync(With(Valid(), "redirect_uri", TestClients.SpaSecondRedirect));
        var parameters = RedirectedTo(response, TestClients.SpaSecondRedirect);
        Assert.Equal("1", parameters["tenant"]);
        Assert.Equal("code-1", parameters["code"]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:51234/callback")]
    [InlineData(TestClients.NativeAppRedirect)]
    public async Task A_native_app_gets_its_code_at_its_loopback_port_or_its_own_scheme(string redirectUri)
    {
        SignedIn(TimeSpan.FromMinutes(5));
        using var response = await AuthorizeAsync(Valid(TestClients.Native, redirectUri));
        Assert.Equal("code-1", RedirectedTo(response, redirectUri)["code"]);
        Assert.Equal(redirectUri, Assert.Single(_grants).RedirectUri);
    }

    [Fact]
    public async Task Prompt_login_sends_a_signed_in_browser_to_the_form_and_prompt_none_with_a_session_gets_a_code()
    {
        SignedIn(TimeSpan.FromMinutes(5));
        using var login = await AuthorizeAsync(With(Valid(), "prompt", "login"));
        Assert.StartsWith("/" + FuncAuthRoutes.LoginPage + "?", login.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var none = await AuthorizeAsync(With(Valid(), "prompt", "none"));
        Assert.Equal("code-1", RedirectedTo(none, TestClients.SpaRedirect)["code"]);
    }

    [Fact]
    public async Task Max_age_older_than_the_sign_in_sends_the_browser_to_the_form_or_answers_login_required()
    {
        SignedIn(TimeSpan.FromSeconds(301));
        using var older = await AuthorizeAsync(With(Valid(), "max_age", "300"));
        Assert.StartsWith("/" + FuncAuthRoutes.LoginPage + "?", older.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var silent = await AuthorizeAsync(With(With(Valid(), "max_age", "300"), "prompt", "none"));
        AssertError(silent, "login_required");

        using var recent = await AuthorizeAsync(With(Valid(), "max_age", "301"));
        Assert.Equal("code-1", RedirectedTo(recent, TestClients.SpaRedirect)["code"]);
        Assert.Single(_grants);
    }

    [Fact]
    public async Task Form_post_answers_a_page_whose_form_posts_the_code_to_the_redirect_uri()
    {
        SignedIn(TimeSpan.FromMinutes(5));
        using var response = await AuthorizeAsync(With(Valid(TestClients.Web, TestClients.WebRedirect), "response_mode", "form_post"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(
            "default-src 'none'; style-src 'self'; script-src 'self'; form-action https://web.example; frame-ancestors 'none'; base-uri 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"https://web.example/signin-oidc\" data-funcauth-autosubmit>", html, StringComparison.Ordinal);
        Assert.Equal(
            [("code", "code-1"), ("iss", FuncAuthApp.Issuer), ("state", State)],
            HiddenInput().Matches(html).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value))).OrderBy(p => p.Item1, StringComparer.Ordinal));
        Assert.Contains("<button type=\"submit\">Continue</button>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_post_carries_errors_too()
    {
        using var response = await AuthorizeAsync(With(With(Valid(TestClients.Native, "http://127.0.0.1:8123/callback"), "response_mode", "form_post"), "prompt", "none"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("form-action http://127.0.0.1:8123;", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("action=\"http://127.0.0.1:8123/callback\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"error\" value=\"login_required\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://web.example/signin-oidc", "https://web.example")]
    [InlineData("https://web.example:8443/a?b=c", "https://web.example:8443")]
    [InlineData("http://[::1]:8080/cb", "http://[::1]:8080")]
    [InlineData("com.example.app:/cb", "com.example.app:")]
    public void The_form_action_source_is_the_redirect_uris_origin(string redirectUri, string source) =>
        Assert.Equal(source, AuthorizationResponses.FormActionSource(redirectUri));

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();
}
