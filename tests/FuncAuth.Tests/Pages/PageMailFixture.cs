using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using FuncAuth.Tests.Support;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FuncAuth.Tests.Pages;

/// <summary>
/// The browser fixture with a real SMTP server in the test process: the app sends its messages there (SMTP without TLS,
/// which Development allows), and a test takes the link of a message the way a person would, from its text.
/// </summary>
public sealed partial class PageMailFixture(StorageFixture storage) : BrowserFixture(storage)
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _server;

    /// <summary>The link of the latest message to <paramref name="recipient"/> whose link opens <paramref name="route"/>.</summary>
    public async Task<Uri> LinkAsync(string recipient, string route, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTimeOffset.UtcNow < deadline)
        {
            var link = _messages
                .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))
                .Select(m => LinkPattern().Matches(m.TextBody ?? string.Empty).Select(l => new Uri(l.Value)).LastOrDefault(u => u.AbsolutePath == "/" + route))
                .LastOrDefault(u => u is not null);
            if (link is not null)
            {
                return link;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No message to {recipient} with a link to {route} arrived.");
    }

    protected override ValueTask<IDictionary<string, string?>?> SettingsAsync(Uri baseAddress)
    {
        var port = FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_messages));
        _server = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);

        return ValueTask.FromResult<IDictionary<string, string?>?>(new Dictionary<string, string?>
        {
            ["FuncAuth:Email:Smtp:Host"] = "127.0.0.1",
            ["FuncAuth:Email:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FuncAuth:Email:Smtp:Security"] = "None",
            ["FuncAuth:Email:From"] = "funcauth@example.test",
            ["FuncAuth:Email:PublicBaseUrl"] = baseAddress.AbsoluteUri,
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _stop.CancelAsync();
        if (_server is not null)
        {
            try
            {
                await _server;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"https?://[^\s<>""]+#token=[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
