using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace FuncAuth.Tests.Support;

/// <summary>
/// The Kestrel host's app listening for real on a free loopback port (127.0.0.1 only), and a headless Chromium driven
/// through Debian's chromedriver, shared by one test class's tests. Every request line the server received is kept in
/// <see cref="RequestTargets"/>, exactly as the browser sent it, so a test can show what the server saw.
/// </summary>
public class BrowserFixture(StorageFixture storage) : IAsyncLifetime
{
    /// <summary>Where Debian's chromium-driver package puts the driver (.ci/run installs it).</summary>
    public const string DriverFolder = "/usr/bin";

    public const string DriverFile = "chromedriver";

    private readonly ConcurrentQueue<string> _requestTargets = new();

    public FuncAuthApp App { get; private set; } = null!;

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public ChromeDriver Driver { get; private set; } = null!;

    /// <summary>
    /// The name the browser uses for the app, which listens on 127.0.0.1 either way: the address itself by default, or
    /// <c>localhost</c> for what needs a domain (WebAuthn: a relying party id cannot be an IP address).
    /// </summary>
    protected virtual string HostName => "127.0.0.1";

    /// <summary>The app's clock, when a derived fixture's tests must control it (TOTP codes); the real one otherwise.</summary>
    public virtual Microsoft.Extensions.Time.Testing.FakeTimeProvider? Time => null;

    /// <summary>The request target (path and query) of every request the server received, as sent on the wire.</summary>
    public IReadOnlyCollection<string> RequestTargets => _requestTargets;

    public virtual async ValueTask InitializeAsync()
    {
        // The port is chosen first, so settings (the links of messages) can name the address.
        var port = FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort();
        BaseAddress = new Uri($"http://{HostName}:{port}/");
        App = new FuncAuthApp(storage.ConnectionString, await SettingsAsync(BaseAddress))
        {
            Time = Time,
            TestServices = services =>
            {
                services.AddSingleton<IStartupFilter>(new RecordRequestTargets(_requestTargets));
                ConfigureTestServices(services);
            },
        };
        App.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), new Uri(address.EndsWith('/') ? address : address + "/"));

        var options = new ChromeOptions();
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-extensions");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(DriverFolder, DriverFile);
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    /// <summary>A client of the app over real HTTP, at <see cref="BaseAddress"/>.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public Uri Url(string relative) => new(BaseAddress, relative);

    /// <summary>
    /// Opens <paramref name="relative"/> (a route, with a fragment if any) as a link from elsewhere does: a new load of the
    /// page (from a blank page, as a link opened from a mail client), with the browser's log emptied first.
    /// </summary>
    public void Open(string relative)
    {
        Driver.Navigate().GoToUrl("about:blank");
        _ = BrowserLog();
        Driver.Navigate().GoToUrl(Url(relative));
    }

    /// <summary>
    /// Sends the page's form with its submit button and waits for the answer's page to have loaded: a click returns before
    /// the navigation it starts has finished, so reading the page at once may read the old one.
    /// </summary>
    public void Submit() => Submit(By.CssSelector("button[type=submit]"));

    /// <summary>Clicks <paramref name="button"/> (one of several forms' buttons, or a script's) and waits for the next page to have loaded.</summary>
    public void Submit(By button)
    {
        var before = Driver.FindElement(By.TagName("html"));
        Driver.FindElement(button).Click();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                _ = before.TagName;
            }
            catch (Exception e) when (e is StaleElementReferenceException
                || (e is UnknownErrorException && e.Message.Contains("does not belong to the document", StringComparison.Ordinal)))
            {
                // The old page is gone. Chromium says so either way, depending on when in the navigation it is asked.
                if (Equals(Driver.ExecuteScript("return document.readyState"), "complete"))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The form was sent but no new page loaded within 15 s.");
            }

            Thread.Sleep(25);
        }
    }

    /// <summary>What the browser logged since the last call: console messages, failed loads, CSP violations.</summary>
    public IReadOnlyList<LogEntry> BrowserLog() => Driver.Manage().Logs.GetLog(LogType.Browser);

    public virtual async ValueTask DisposeAsync()
    {
        Driver?.Quit();
        Driver?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>More settings for the app, made once its address is known (a derived fixture's SMTP server, links).</summary>
    protected virtual ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress) => ValueTask.FromResult<IDictionary<string, string?>?>(null);

    /// <summary>More services for the app (a derived fixture's stand-ins).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>Records the raw request target first thing, before routing or FuncAuth sees the request.</summary>
    private sealed class RecordRequestTargets(ConcurrentQueue<string> targets) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                targets.Enqueue(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
