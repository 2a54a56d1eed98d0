using FuncAuth.Http;
using FuncAuth.Tests.Email;
using FuncAuth.Tests.Support;
using OpenQA.Selenium;

namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// FuncAuth on Kestrel at <c>http://127.0.0.1:&lt;port&gt;</c> (its issuer is that address; an ES256 key; two registered
/// clients), a real SMTP server for its messages, two relying-party apps (<see cref="RelyingPartyApp"/>) on
/// <c>http://localhost:&lt;ports&gt;</c> — <see cref="ConfidentialApp"/> with a client secret and <see cref="PublicApp"/>
/// without — and the headless Chromium of <see cref="BrowserFixture"/>.
/// </summary>
public sealed class BrowserSignInFixture(StorageFixture storage) : BrowserFixture(storage)
{
    public const string Password = "correct horse battery";

    private readonly TestSmtpServer _smtp = TestSmtpServer.Start();

    public RelyingPartyApp ConfidentialApp { get; } = RelyingPartyApp.Plan("rp-confidential", clientSecret: "rp-confidential-secret-of-the-browser-tests");

    public RelyingPartyApp PublicApp { get; } = RelyingPartyApp.Plan("rp-public");

    /// <summary>Where the screenshots go: <c>TestResults/browser-sign-in/</c> at the repository root (git-ignored).</summary>
    public static string ArtefactFolder { get; } = Path.Combine(StorageFixture.RepositoryRoot, "TestResults", "browser-sign-in");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Driver.Manage().Window.Size = new System.Drawing.Size(1024, 900);   // the whole page in the screenshots
        await ConfidentialApp.StartAsync(BaseAddress);
        await PublicApp.StartAsync(BaseAddress);
    }

    public override async ValueTask DisposeAsync()
    {
        await ConfidentialApp.DisposeAsync();
        await PublicApp.DisposeAsync();
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>A new user with a confirmed address; answers the address and an access token of a (password) session.</summary>
    public async Task<(string Email, string AccessToken)> RegisterAsync(string username)
    {
        var email = $"{username}@example.com";
        using var client = CreateClient();
        var (access, _) = await client.RegisterConfirmedAsync(_smtp, username, email);
        return (email, access);
    }

    /// <summary>Forgets every cookie of every site: a new visitor. (Selenium's own DeleteAllCookies only clears the current site's.)</summary>
    public void NewVisitor()
    {
        Driver.ExecuteCdpCommand("Network.clearBrowserCookies", []);
        Driver.Navigate().GoToUrl("about:blank");
        _ = BrowserLog();
    }

    /// <summary>Whether the browser shows FuncAuth's sign-in page (its address, and a form with the two fields).</summary>
    public bool OnSignInPage() =>
        Driver.Url.StartsWith(Url(FuncAuthRoutes.LoginPage).AbsoluteUri, StringComparison.Ordinal)
        && Driver.FindElements(By.CssSelector("form[method=post] input[name=username]")).Count == 1
        && Driver.FindElements(By.CssSelector("form[method=post] input[name=password]")).Count == 1;

    /// <summary>Types the credentials as a person would and sends the form; waits for the answer's page.</summary>
    public void SignIn(string username, string password)
    {
        var user = Driver.FindElement(By.CssSelector("input[name=username]"));
        user.Clear();
        user.SendKeys(username);
        var secret = Driver.FindElement(By.CssSelector("input[name=password]"));
        secret.Clear();
        secret.SendKeys(password);
        try
        {
            Submit();
        }
        catch (TimeoutException e)
        {
            // What the browser saw is the only clue: a blocked redirect (CSP), a failed load.
            var log = string.Join(Environment.NewLine, BrowserLog().Select(l => l.Message));
            throw new TimeoutException($"{e.Message} At {Driver.Url}; the browser's log:{Environment.NewLine}{log}", e);
        }
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

    protected override ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress)
    {
        var settings = ClientSettings.For(baseAddress, ConfidentialApp.Client, PublicApp.Client);
        foreach (var (key, value) in _smtp.Settings())
        {
            settings[key] = value;
        }

        // The confirmation links name the test issuer, as MailFlow reads them.
        settings["FuncAuth:Email:PublicBaseUrl"] = FuncAuthApp.Issuer + "/";
        return ValueTask.FromResult<IDictionary<string, string?>?>(settings);
    }
}
