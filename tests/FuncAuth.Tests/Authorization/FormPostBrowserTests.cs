using System.Collections.Concurrent;
using System.Net;
using FuncAuth.Authorization;
using FuncAuth.Http;
using FuncAuth.Sessions;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;

namespace FuncAuth.Tests.Authorization;

/// <summary>
/// The form_post answer in a real browser: the page's script posts the code to the client's redirect URI (another origin,
/// allowed by the page's form-action) with no click, and nothing breaks the page's Content-Security-Policy.
/// </summary>
public sealed class FormPostBrowserTests(FormPostBrowserTests.Fixture browser) : IClassFixture<FormPostBrowserTests.Fixture>
{
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    [Fact]
    public void The_code_is_posted_to_the_redirect_uri_without_a_click()
    {
        var redirectUri = $"http://127.0.0.1:{browser.ReceiverPort}/callback";
        var query = QueryHelpers.AddQueryString(FuncAuthRoutes.Authorize, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = "native",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid",
            ["state"] = "state <&> 1",
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
            ["response_mode"] = "form_post",
        });
        browser.Open(query);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (browser.Received.IsEmpty && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(25);
        }

        var form = Assert.Single(browser.Received);
        Assert.Equal("code-for-browser-session-1", form["code"]);
        Assert.Equal("state <&> 1", form["state"]);
        Assert.Equal(FuncAuthApp.Issuer, form["iss"]);
        WaitFor(() => browser.Driver.Url.StartsWith(redirectUri, StringComparison.Ordinal));
        Assert.Contains("received", browser.Driver.FindElement(By.TagName("body")).Text, StringComparison.Ordinal);

        // No CSP violation or script error on the way (Chromium's own /favicon.ico request aside).
        Assert.Empty(browser.BrowserLog().Where(e => e.Level >= LogLevel.Warning && !e.Message.Contains("favicon.ico", StringComparison.Ordinal)).Select(e => e.Message));
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            Thread.Sleep(25);
        }
    }

    /// <summary>FuncAuth with a signed-in browser stood in for, and a relying party's callback on another port that records what it is posted.</summary>
    public sealed class Fixture(StorageFixture storage) : BrowserFixture(storage)
    {
        private WebApplication? _receiver;

        public ConcurrentQueue<IReadOnlyDictionary<string, string>> Received { get; } = new();

        public int ReceiverPort { get; } = FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort();

        public override async ValueTask InitializeAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, ReceiverPort));
            _receiver = builder.Build();
            _receiver.MapPost("/callback", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                Received.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal));
                return Results.Content("<!DOCTYPE html><title>RP</title><p>received</p>", "text/html");
            });
            await _receiver.StartAsync();
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            if (_receiver is not null)
            {
                await _receiver.DisposeAsync();
            }

            await base.DisposeAsync();
        }

        protected override ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress) =>
            ValueTask.FromResult<IDictionary<string, string?>?>(new Dictionary<string, string?>
            {
                ["FuncAuth:Tokens:SigningKey"] = TestKeys.Es256,
                ["FuncAuth:Clients:0:ClientId"] = "native",
                ["FuncAuth:Clients:0:RedirectUris:0"] = "http://127.0.0.1/callback",
            });

        protected override void ConfigureTestServices(IServiceCollection services)
        {
            var now = DateTimeOffset.UtcNow;
            var session = new Session("user-1", "browser-session-1", "alice", now, now, now.AddDays(1), now.AddDays(1), "hash", null, null, null, [], default, Kind: SessionKind.Browser);
            services.AddSingleton<BrowserSessionLookup>((_, _) => Task.FromResult<Session?>(session));
            services.AddSingleton<AuthorizationCodeIssuer>((grant, _) => Task.FromResult("code-for-" + grant.BrowserSessionId));
        }
    }
}
