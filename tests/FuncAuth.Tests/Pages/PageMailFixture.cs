using System.Text.RegularExpressions;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Pages;

/// <summary>
/// The browser fixture with a real SMTP server in the test process (<see cref="TestSmtpServer"/>): the app sends its
/// messages there, and a test takes the link of a message the way a person would, from its text.
/// </summary>
public sealed partial class PageMailFixture(StorageFixture storage) : BrowserFixture(storage)
{
    private readonly TestSmtpServer _smtp = TestSmtpServer.Start();

    /// <summary>The link of the latest message to <paramref name="recipient"/> whose link opens <paramref name="route"/>.</summary>
    public async Task<Uri> LinkAsync(string recipient, string route, TimeSpan? timeout = null)
    {
        var messages = await _smtp.WaitForAsync(m => m.IsTo(recipient) && LinkIn(m, route) is not null, timeout: timeout ?? TimeSpan.FromSeconds(30));
        return LinkIn(messages[^1], route)!;
    }

    protected override ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress)
    {
        var settings = _smtp.Settings();
        settings["FuncAuth:Email:PublicBaseUrl"] = baseAddress.AbsoluteUri;
        return ValueTask.FromResult<IDictionary<string, string?>?>(settings);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private static Uri? LinkIn(ReceivedMail mail, string route) =>
        LinkPattern().Matches(mail.Message.TextBody ?? string.Empty).Select(l => new Uri(l.Value)).LastOrDefault(u => u.AbsolutePath == "/" + route);

    [GeneratedRegex(@"https?://[^\s<>""]+#token=[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
