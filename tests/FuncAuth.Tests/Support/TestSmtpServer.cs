using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace FuncAuth.Tests.Support;

/// <summary>
/// A real SMTP server in the test process (SmtpServer), on a free loopback port, without TLS: every message it receives
/// is parsed with MimeKit and kept with its envelope recipients. <see cref="StopAsync"/> and <see cref="Start"/> make an
/// outage (the port refuses connections meanwhile) and end it on the same port.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    public const string From = "no-reply@funcauth.test";

    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;

    private TestSmtpServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public IReadOnlyCollection<ReceivedMail> Received => _received;

    public static TestSmtpServer Start(int? port = null)
    {
        var server = new TestSmtpServer(port ?? FuncAuth.Server.LocalStorage.AzuriteProcess.FreePort());
        server.Start();
        return server;
    }

    /// <summary>Settings for a <see cref="FuncAuthApp"/> (Development) that sends here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["FuncAuth:Email:Smtp:Host"] = "127.0.0.1",
        ["FuncAuth:Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FuncAuth:Email:Smtp:Security"] = "None",
        ["FuncAuth:Email:From"] = From,
        ["FuncAuth:Email:DispatchInterval"] = "00:00:00.2",
    };

    public void Start()
    {
        if (_server is not null)
        {
            return;
        }

        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.funcauth.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(new Store(_received));
        _server = new SmtpServer.SmtpServer(options, provider);
        _running = _server.StartAsync(CancellationToken.None);
    }

    /// <summary>Stops listening (connections are refused until <see cref="Start"/>).</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        _server.Shutdown();
        await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10));
        if (_running is not null)
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _server = null;
        _running = null;
    }

    /// <summary>Waits until <paramref name="count"/> received messages match, and answers them.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(Func<ReceivedMail, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var matching = _received.Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{matching.Count} of {count} expected messages arrived ({_received.Count} in all).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The one message sent to <paramref name="recipient"/>, once it has arrived.</summary>
    public async Task<ReceivedMail> WaitForOneToAsync(string recipient, TimeSpan? timeout = null) =>
        (await WaitForAsync(m => m.IsTo(recipient), 1, timeout))[0];

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(ConcurrentQueue<ReceivedMail> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var raw = buffer.ToArray();
            using var stream = new MemoryStream(raw);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var envelope = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            received.Enqueue(new ReceivedMail(message, envelope, System.Text.Encoding.UTF8.GetString(raw)));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A message as the server received it: parsed, the envelope's recipients (RCPT TO), and the raw text.</summary>
public sealed record ReceivedMail(MimeMessage Message, IReadOnlyList<string> EnvelopeRecipients, string Raw)
{
    public bool IsTo(string recipient) =>
        EnvelopeRecipients.Contains(recipient, StringComparer.OrdinalIgnoreCase);
}
