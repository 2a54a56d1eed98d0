using System.Diagnostics;
using FuncAuth.Email.Delivery;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static FuncAuth.Tests.Email.Delivery.DeliveryTestApps;

namespace FuncAuth.Tests.Email.Delivery;

/// <summary>A message written to the outbox reaches a real SMTP server, built as it should be, and leaves the outbox.</summary>
public sealed class OutboxDeliveryTests(StorageFixture storage)
{
    [Fact]
    public async Task A_message_arrives_with_a_text_and_an_html_part_from_the_sender_to_the_recipient_and_its_row_is_removed()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings().With(("FuncAuth:Email:FromName", "Contoso Accounts")));
        var recipient = NewRecipient();

        await app.Outbox().EnqueueAsync(Message(recipient, "Your password was changed"), TestContext.Current.CancellationToken);
        var mail = await smtp.WaitForOneToAsync(recipient);

        var from = Assert.IsType<MailboxAddress>(Assert.Single(mail.Message.From));
        Assert.Equal(TestSmtpServer.From, from.Address);
        Assert.Equal("Contoso Accounts", from.Name);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(mail.Message.To));
        Assert.Equal(recipient, to.Address);
        Assert.Equal(string.Empty, to.Name);
        Assert.Equal([recipient], mail.EnvelopeRecipients);
        Assert.Equal("Your password was changed", mail.Message.Subject);
        Assert.Equal("auto-generated", mail.Message.Headers["Auto-Submitted"]);

        var alternative = Assert.IsType<MultipartAlternative>(mail.Message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Contains($"Hello {recipient}", mail.Message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<p>Hello {recipient}", mail.Message.HtmlBody, StringComparison.Ordinal);

        // The Message-Id is the outbox row's id, at the sender's domain; the row is gone once sent.
        Assert.EndsWith("@funcauth.test", mail.Message.MessageId, StringComparison.Ordinal);
        await EventuallyAsync(async () => (await app.OutboxRowsAsync()).Count == 0);
        Assert.Contains(app.Logs.Events, e => e.Name == "EmailSent");
    }

    [Fact]
    public async Task The_sender_name_defaults_to_the_product_name()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings().With(("FuncAuth:Email:ProductName", "Fabrikam")));
        var recipient = NewRecipient();

        await app.Outbox().EnqueueAsync(Message(recipient, "Hello"), TestContext.Current.CancellationToken);

        var mail = await smtp.WaitForOneToAsync(recipient);
        Assert.Equal("Fabrikam", Assert.IsType<MailboxAddress>(Assert.Single(mail.Message.From)).Name);
    }

    [Fact]
    public async Task A_message_the_composer_answers_null_for_is_not_sent_and_its_row_is_removed()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings());
        var dropped = NewRecipient();
        var sent = NewRecipient();

        await app.Outbox().EnqueueAsync(Message(dropped, "Nothing to say", drop: true), TestContext.Current.CancellationToken);
        await EventuallyAsync(() => Task.FromResult(app.Logs.Events.Any(e => e.Name == "EmailDropped")));
        await app.Outbox().EnqueueAsync(Message(sent, "Something to say"), TestContext.Current.CancellationToken);

        // The later message went out, so the dispatcher had passed the earlier one: it was dropped, not delayed.
        await smtp.WaitForOneToAsync(sent);
        await EventuallyAsync(async () => (await app.OutboxRowsAsync()).Count == 0);
        Assert.DoesNotContain(smtp.Received, m => m.IsTo(dropped));
    }

    [Theory]
    [InlineData("Alice <alice@example.test>")]
    [InlineData("alice@example.test\r\nBcc: mallory@example.test")]
    [InlineData("alice@example.test\nBcc: mallory@example.test")]
    [InlineData("alice@example.test, mallory@example.test")]
    [InlineData("\"Alice\" alice@example.test")]
    [InlineData("alice")]
    [InlineData("")]
    public async Task Enqueue_refuses_a_recipient_that_is_not_a_plain_address_and_queues_nothing(string recipient)
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings());

        await Assert.ThrowsAsync<ArgumentException>(() => app.Outbox().EnqueueAsync(Message(recipient, "Hi"), TestContext.Current.CancellationToken));

        Assert.Empty(await app.OutboxRowsAsync());
    }

    [Fact]
    public async Task A_line_break_in_the_subject_stays_in_the_subject_and_adds_no_header_or_recipient()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings());
        var recipient = NewRecipient();
        const string Subject = "Hello mallory\r\nBcc: victim@example.test\r\nX-Injected: yes\n\nInjected body";

        await app.Outbox().EnqueueAsync(Message(recipient, Subject), TestContext.Current.CancellationToken);

        var mail = await smtp.WaitForOneToAsync(recipient);
        Assert.Equal([recipient], mail.EnvelopeRecipients);
        Assert.Empty(mail.Message.Bcc);
        Assert.Single(mail.Message.To);
        Assert.DoesNotContain(mail.Message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase) || h.Field.Equals("X-Injected", StringComparison.OrdinalIgnoreCase));
        Assert.Single(mail.Message.Headers, h => h.Id == HeaderId.Subject);
        Assert.Contains("Bcc: victim@example.test", mail.Message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("\nBcc:", mail.Raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\nX-Injected:", mail.Raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Injected body", mail.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_break_in_the_sender_name_adds_no_header()
    {
        // The validator refuses such a FromName; the builder is safe without it too.
        var message = OutboxMail.Build(
            "0123", "alice@example.test", new("Subject", "Text", "<p>Html</p>"), "no-reply@example.test", "Contoso\r\nBcc: victim@example.test", DateTimeOffset.UtcNow);
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        var parsed = MimeMessage.Load(stream);

        Assert.Empty(parsed.Bcc);
        Assert.DoesNotContain(parsed.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("alice@example.test", Assert.IsType<MailboxAddress>(Assert.Single(parsed.To)).Address);
        Assert.Equal("no-reply@example.test", Assert.IsType<MailboxAddress>(Assert.Single(parsed.From)).Address);
    }

    [Fact]
    public async Task A_message_whose_composing_fails_is_retried_and_sent_once()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings());
        var recipient = NewRecipient();

        await app.Outbox().EnqueueAsync(Message(recipient, "Try again", failures: 2), TestContext.Current.CancellationToken);

        var mail = await smtp.WaitForOneToAsync(recipient);
        Assert.Equal("Try again", mail.Message.Subject);
        await EventuallyAsync(async () => (await app.OutboxRowsAsync()).Count == 0);
        var failures = app.Logs.Lines.Where(l => l.Contains("could not be sent", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, l => Assert.Contains(nameof(InvalidOperationException), l, StringComparison.Ordinal));
        Assert.All(failures, l => Assert.DoesNotContain(recipient, l, StringComparison.Ordinal));
        Assert.Single(smtp.Received, m => m.IsTo(recipient));
    }

    [Fact]
    public async Task Enqueue_with_the_outbox_table_unreachable_throws_storage_unavailable()
    {
        await using var smtp = TestSmtpServer.Start();
        FuncAuthApp? appRef = null;
        var fault = new OutboxWriteFault(() => appRef!.Setting("FuncAuth:Storage:OutboxTableName"));
        await using var app = Create(
            storage.ConnectionString,
            smtp.Settings().With(("FuncAuth:Storage:MaxRetries", "0")),
            moreServices: services => services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(fault));
        appRef = app;
        var recipient = NewRecipient();

        await Assert.ThrowsAsync<FuncAuth.Storage.StorageUnavailableException>(
            () => app.Outbox().EnqueueAsync(Message(recipient, "Lost?"), TestContext.Current.CancellationToken));

        // Nothing was written, so nothing is sent; once storage answers again, enqueueing works.
        fault.Failing = false;
        await app.Outbox().EnqueueAsync(Message(recipient, "Written"), TestContext.Current.CancellationToken);
        var mail = await smtp.WaitForOneToAsync(recipient);
        Assert.Equal("Written", mail.Message.Subject);
    }

    [Fact]
    public async Task Enqueue_does_not_wait_for_the_relay()
    {
        // A relay that accepts connections and never answers: a send would hang until its timeout.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        await using var smtp = TestSmtpServer.Start();
        await using var app = Create(storage.ConnectionString, smtp.Settings().With(("FuncAuth:Email:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await app.Outbox().EnqueueAsync(Message(NewRecipient(), "Warm-up"), TestContext.Current.CancellationToken);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await app.Outbox().EnqueueAsync(Message(NewRecipient(), "Hi"), TestContext.Current.CancellationToken);
        }

        // Five table writes, not five SMTP timeouts (10 s each here).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"5 enqueues took {watch.Elapsed}.");
        Assert.Equal(6, (await app.OutboxRowsAsync()).Count);
    }
}
