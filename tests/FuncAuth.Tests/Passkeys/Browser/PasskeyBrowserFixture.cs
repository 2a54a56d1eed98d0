using FuncAuth.Http;
using FuncAuth.Tests.BrowserSignIn;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using OpenQA.Selenium;
using OpenQA.Selenium.VirtualAuth;

namespace FuncAuth.Tests.Passkeys.Browser;

/// <summary>
/// FuncAuth on Kestrel (listening on 127.0.0.1) as the browser names it, <c>http://localhost:&lt;port&gt;</c>: WebAuthn needs
/// a domain for its relying party id, and Chromium treats http://localhost as a secure context. Passkeys are configured
/// for that origin (<c>FuncAuth:Passkeys:RelyingPartyId=localhost</c>, <c>Origins:0</c>), a relying-party app signs its
/// visitors in there (<see cref="RelyingPartyApp"/>, also on localhost: its cookies have names of their own), the
/// headless Chromium of <see cref="BrowserFixture"/> holds a virtual authenticator (CTAP2, internal, resident keys, user
/// verification), and the app's clock is a fake one the tests move on between TOTP codes.
/// </summary>
public sealed class PasskeyBrowserFixture(StorageFixture storage) : BrowserFixture(storage)
{
    public const string Password = "correct horse battery";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public RelyingPartyApp App1 { get; } = RelyingPartyApp.Plan("rp-passkeys", clientSecret: "rp-passkeys-secret-of-the-browser-tests");

    /// <summary>Where the screenshots go: <c>TestResults/passkeys-browser/</c> at the repository root (git-ignored).</summary>
    public static string ArtefactFolder { get; } = Path.Combine(StorageFixture.RepositoryRoot, "TestResults", "passkeys-browser");

    public override FakeTimeProvider Time => _time;

    protected override string HostName => "localhost";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Driver.Manage().Window.Size = new System.Drawing.Size(1024, 1400);   // the whole account page in the screenshots
        await App1.StartAsync(BaseAddress);
    }

    public override async ValueTask DisposeAsync()
    {
        await App1.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>
    /// A new visitor (no cookies anywhere) with a new, empty virtual authenticator (any earlier one removed), or the same
    /// authenticator when <paramref name="newAuthenticator"/> is false.
    /// </summary>
    public void NewVisitor(bool newAuthenticator = true)
    {
        Driver.ExecuteCdpCommand("Network.clearBrowserCookies", []);
        Driver.Navigate().GoToUrl("about:blank");
        _ = BrowserLog();
        if (!newAuthenticator && _authenticator is not null)
        {
            return;
        }

        if (_authenticator is not null)
        {
            Driver.RemoveVirtualAuthenticator(_authenticator);
        }

        _authenticator = Driver.AddVirtualAuthenticator(new VirtualAuthenticatorOptions()
            .SetProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
            .SetTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
            .SetHasResidentKey(true)
            .SetHasUserVerification(true)
            .SetIsUserVerified(true));
    }

    private string? _authenticator;

    /// <summary>The credentials the virtual authenticator holds now.</summary>
    public IReadOnlyList<Credential> AuthenticatorCredentials() => Driver.GetCredentials();

    /// <summary>A new user registered through the API (password only); answers the name and the subject.</summary>
    public async Task<(string Username, string Subject)> RegisterAsync()
    {
        var username = AuthClient.NewUsername();
        using var client = CreateClient();
        var access = await client.RegisterAndLoginAsync(username, Password);
        return (username, TestTokens.PayloadOf(access)["sub"]!.GetValue<string>());
    }

    /// <summary>Whether the browser shows FuncAuth's sign-in page (its address, and the password form).</summary>
    public bool OnSignInPage() =>
        Driver.Url.StartsWith(Url(FuncAuthRoutes.LoginPage).AbsoluteUri, StringComparison.Ordinal)
        && Driver.FindElements(By.CssSelector("form[method=post] input[name=password]")).Count == 1;

    /// <summary>Types into the field <paramref name="name"/> of the form that has one (the first such form).</summary>
    public void Type(string cssSelector, string text)
    {
        var input = Driver.FindElement(By.CssSelector(cssSelector));
        input.Clear();
        input.SendKeys(text);
    }

    /// <summary>Saves the page as a PNG under <see cref="ArtefactFolder"/> and attaches it to the test's result.</summary>
    public string Screenshot(string name)
    {
        Directory.CreateDirectory(ArtefactFolder);
        var shot = Driver.GetScreenshot();
        var path = Path.Combine(ArtefactFolder, name + ".png");
        shot.SaveAsFile(path);
        TestContext.Current.AddAttachment(name, shot.AsByteArray, "image/png");
        return path;
    }

    /// <summary>Clicks a button whose script leads to a new page (the passkey buttons), and says what the browser logged if none came.</summary>
    public void SubmitByScript(By button)
    {
        try
        {
            Submit(button);
        }
        catch (TimeoutException e)
        {
            var log = string.Join(Environment.NewLine, BrowserLog().Select(l => l.Message));
            var alerts = string.Join(" | ", Driver.FindElements(By.CssSelector("[role=alert]")).Select(a => a.Text));
            throw new TimeoutException($"{e.Message} At {Driver.Url}; alerts: {alerts}; the browser's log:{Environment.NewLine}{log}", e);
        }
    }

    protected override ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress)
    {
        var settings = ClientSettings.For(baseAddress, App1.Client);
        settings["FuncAuth:Passkeys:RelyingPartyId"] = "localhost";
        settings["FuncAuth:Passkeys:Origins:0"] = baseAddress.AbsoluteUri.TrimEnd('/');
        return ValueTask.FromResult<IDictionary<string, string?>?>(settings);
    }
}
