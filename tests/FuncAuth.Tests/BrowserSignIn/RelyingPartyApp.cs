using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using FuncAuth.Server.LocalStorage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// A relying-party web app as a .NET team would write it: ASP.NET Core with cookies and
/// <c>Microsoft.AspNetCore.Authentication.OpenIdConnect</c> (code flow, PKCE, SaveTokens), listening for real on
/// <c>http://localhost:&lt;port&gt;</c> — another host than FuncAuth's <c>127.0.0.1</c>, so the browser keeps their cookies
/// apart. <c>/</c> is protected and shows the signed-in user's claims; <c>/signout</c> signs out here and at FuncAuth
/// (RP-Initiated Logout); <c>/public</c> needs no sign-in. Its port, and so its redirect URIs, are chosen before FuncAuth
/// starts, because FuncAuth reads its clients from configuration.
/// </summary>
public sealed class RelyingPartyApp : IAsyncDisposable
{
    public const string ClaimsElementId = "claims";
    public const string SignedOutElementId = "signed-out";

    private readonly int _port;
    private readonly ConcurrentQueue<TokenSet> _tokens = new();
    private WebApplication? _app;

    private RelyingPartyApp(string name, string? clientSecret)
    {
        Name = name;
        _port = AzuriteProcess.FreePort();
        BaseAddress = new Uri($"http://localhost:{_port}/");
        Client = new ClientSettings(name)
        {
            ClientSecret = clientSecret,
            RedirectUris = [new Uri(BaseAddress, "signin-oidc").AbsoluteUri],
            PostLogoutRedirectUris = [new Uri(BaseAddress, "signout-callback-oidc").AbsoluteUri],
        };
    }

    /// <summary>The client id, also the prefix of every cookie of this app (two apps on localhost share the cookie jar: cookies ignore ports).</summary>
    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>How FuncAuth must register this app.</summary>
    public ClientSettings Client { get; }

    /// <summary>The token responses this app received from FuncAuth, oldest first.</summary>
    public IReadOnlyCollection<TokenSet> Tokens => _tokens;

    /// <summary>Requests that the cookie check found signed out at FuncAuth (its access token refused by userinfo).</summary>
    public int RejectedSessions { get; private set; }

    /// <summary>A confidential client (<paramref name="clientSecret"/> given; the handler sends it with client_secret_post) or a public one.</summary>
    public static RelyingPartyApp Plan(string name, string? clientSecret = null) => new(name, clientSecret);

    public Uri Url(string relative) => new(BaseAddress, relative);

    public async Task StartAsync(Uri funcAuth)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.ListenLocalhost(_port));
        RelyingPartySetup.AddSignInWithFuncAuth(builder);

        // What differs from the README's lines: this test's FuncAuth, client and secret, and cookie names of its own.
        var authority = funcAuth.AbsoluteUri.TrimEnd('/');
        builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            options.Authority = authority;
            options.ClientId = Client.ClientId;
            options.ClientSecret = Client.ClientSecret;

            // Over plain http (the test), the handler's correlation and nonce cookies cannot be SameSite=None (Chrome
            // wants Secure with None, and Secure is not set over http by SameAsRequest). With response_mode=query
            // the browser comes back with a top-level GET redirect, which carries SameSite=Lax cookies across sites
            // (127.0.0.1 → localhost), so Lax is enough. Over https the defaults (None; Secure) work as they are.
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            }

            options.CorrelationCookie.Name = $".{Name}.Correlation.";
            options.NonceCookie.Name = $".{Name}.Nonce.";
            var previous = options.Events.OnTokenResponseReceived;
            options.Events.OnTokenResponseReceived = async context =>
            {
                var response = context.TokenEndpointResponse;
                _tokens.Enqueue(new TokenSet(response.AccessToken, response.IdToken, response.RefreshToken));
                await previous(context);
            };
        });
        builder.Services.AddHttpClient(Name);
        builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.Cookie.Name = $".{Name}.Session";

            // The app's own cookie outlives FuncAuth's session unless the app asks: on each request it checks its saved
            // access token at userinfo, so a sign-out at FuncAuth (from any app) signs the user out here too.
            options.Events.OnValidatePrincipal = async context =>
            {
                var accessToken = context.Properties.GetTokenValue("access_token");
                var http = context.HttpContext.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient(Name);
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{authority}/api/auth/userinfo");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                using var answer = await http.SendAsync(request, context.HttpContext.RequestAborted);
                if (answer.StatusCode == HttpStatusCode.Unauthorized)
                {
                    RejectedSessions++;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                }
            };
        });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", (ClaimsPrincipal user) => Page(
            $"Signed in to {Name}",
            $"<pre id=\"{ClaimsElementId}\">{HtmlEncoder.Default.Encode(JsonSerializer.Serialize(ClaimsOf(user)))}</pre>")).RequireAuthorization();
        app.MapGet("/public", () => Page($"{Name} (public)", "<p>No sign-in needed.</p>"));
        app.MapGet("/signout", () => Results.SignOut(
            new AuthenticationProperties { RedirectUri = "/signed-out" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/signed-out", () => Page($"Signed out of {Name}", $"<p id=\"{SignedOutElementId}\">Signed out.</p>"));
        await app.StartAsync();
        _app = app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>The claims as the app sees them: type → values.</summary>
    private static Dictionary<string, string[]> ClaimsOf(ClaimsPrincipal user) =>
        user.Claims.GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.Select(c => c.Value).ToArray());

    private static IResult Page(string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{HtmlEncoder.Default.Encode(title)}</title></head>" +
        $"<body><h1>{HtmlEncoder.Default.Encode(title)}</h1>{body}</body></html>",
        "text/html; charset=utf-8");
}

/// <summary>What FuncAuth's token endpoint answered the app.</summary>
public sealed record TokenSet(string? AccessToken, string? IdToken, string? RefreshToken);
