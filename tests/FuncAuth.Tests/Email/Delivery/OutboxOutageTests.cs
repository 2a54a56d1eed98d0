using System.Diagnostics;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static FuncAuth.Tests.Email.Delivery.DeliveryTestApps;

namespace FuncAuth.Tests.Email.Delivery;

/// <summary>Nothing in the outbox is lost to an SMTP outage, a restart, or a second instance; nothing is sent twice by them.</summary>
public sealed class OutboxOutageTests(StorageFixture storage)
{
    [Fact]
    public async Task Messages_written_while_smtp_is_down_are_all_delivered_once_it_is_back_even_after_a_restart()
    {
        await using var smtp = TestSmtpServer.Start();
        await smtp.StopAsync();
        var recipients = Enumerable.Range(0, 8).Select(_ => NewRecipient()).ToList();

        // The first app: every enqueue answers at once although SMTP is down, and each message stays in the outbox.
        var first = Create(storage.ConnectionString, smtp.Settings(), deleteTables: false);
        var tables = SameTables(first, smtp.Settings());
        try
        {
            foreach (var recipient in recipients)
            {
                var watch = Stopwatch.StartNew();
                await first.Outbox().EnqueueAsync(Message(recipient, "Reset your password", secret: "s3cret"), TestContext.Current.CancellationToken);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"An enqueue took {watch.Elapsed} while SMTP was down.");
            }

            await EventuallyAsync(() => Task.FromResult(first.Logs.Events.Count(e => e.Name == "EmailSendFailed") >= 2));
            Assert.Equal(recipients.Count, (await first.OutboxRowsAsync()).Count);

            // The failures are logged without the recipient and without the message's content.
            var failures = first.Logs.Lines.Where(l => l.Contains("could not be sent", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(failures);
            Assert.All(failures, l => Assert.DoesNotContain("@example.test", l, StringComparison.Ordinal));
            Assert.All(failures, l => Assert.DoesNotContain("s3cret", l, StringComparison.Ordinal));
            Assert.Contains(failures, l => l.Contains("could not be reached", StringComparison.Ordinal));
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The app is gone; SMTP comes back; a new app on the same tables delivers every message.
        smtp.Start();
        await using var second = Create(storage.ConnectionString, tables);
        _ = second.Services;
        // Within the claim lease and a margin: a claim the first app made as it stopped, and could not give back, runs out.
        var received = await smtp.WaitForAsync(m => recipients.Any(m.IsTo), recipients.Count, FastTiming.ClaimLease * 2);

        Assert.Equal(recipients.Order(StringComparer.Ordinal), received.Select(m => m.EnvelopeRecipients.Single()).Order(StringComparer.Ordinal));
        Assert.All(received, m => Assert.Contains("s3cret", m.Message.TextBody, StringComparison.Ordinal));
        await EventuallyAsync(async () => (await second.OutboxRowsAsync()).Count == 0);
    }

    [Fact]
    public async Task Two_instances_on_the_same_outbox_deliver_each_of_40_messages_exactly_once()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var one = Create(storage.ConnectionString, smtp.Settings());
        await using var two = Create(storage.ConnectionString, SameTables(one, smtp.Settings()), deleteTables: false);
        var recipients = Enumerable.Range(0, 40).Select(_ => NewRecipient()).ToList();

        // Half written through each instance, all at once: each wakes its own dispatcher, and both poll the same rows.
        await Task.WhenAll(recipients.Select((recipient, i) =>
            (i % 2 == 0 ? one : two).Outbox().EnqueueAsync(Message(recipient, "Welcome"), TestContext.Current.CancellationToken)));
        await smtp.WaitForAsync(m => recipients.Any(m.IsTo), recipients.Count, TimeSpan.FromSeconds(30));
        await EventuallyAsync(async () => (await one.OutboxRowsAsync()).Count == 0);

        // A few more rounds of both dispatchers: still one message per recipient.
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var received = smtp.Received.Where(m => recipients.Any(m.IsTo)).ToList();
        Assert.Equal(recipients.Count, received.Count);
        Assert.Equal(recipients.Count, received.Select(m => m.EnvelopeRecipients.Single()).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(recipients.Count, received.Select(m => m.Message.MessageId).Distinct(StringComparer.Ordinal).Count());

        // Both instances sent some (claims, not luck, kept them apart).
        Assert.Contains(one.Logs.Events, e => e.Name == "EmailSent");
        Assert.Contains(two.Logs.Events, e => e.Name == "EmailSent");
    }

    [Fact]
    public async Task A_message_still_unsent_after_the_delivery_deadline_is_reported_once_as_critical_and_kept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var smtp = TestSmtpServer.Start();
        await smtp.StopAsync();
        await using var app = Create(storage.ConnectionString, smtp.Settings().With(("FuncAuth:Email:DispatchInterval", "00:00:05")), time: clock);
        var recipient = NewRecipient();
        await app.Outbox().EnqueueAsync(Message(recipient, "Confirm your address", secret: "s3cret"), TestContext.Current.CancellationToken);
        await EventuallyAsync(() => Task.FromResult(Failures(app) == 1));
        Assert.DoesNotContain(app.Logs.Events, e => e.Name == "EmailUndelivered");

        // A day later (the default deadline), the next failed attempt reports it. (The clock moves on in steps of the
        // dispatch interval until then: an advance made while the dispatcher is between two waits would be missed.)
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await AdvanceUntilAsync(clock, () => Failures(app) >= 2 && app.Logs.Events.Any(e => e.Name == "EmailUndelivered"));
        var id = Assert.Single(await app.OutboxRowsAsync()).RowKey;
        var critical = Assert.Single(app.Logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("has not been delivered", StringComparison.Ordinal));
        Assert.Contains(id, critical, StringComparison.Ordinal);
        Assert.Contains("password-changed", critical, StringComparison.Ordinal);
        Assert.DoesNotContain(recipient, critical, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", critical, StringComparison.Ordinal);

        // Later failures are not reported again, and the message is still kept and retried.
        var reported = Failures(app);
        clock.Advance(TimeSpan.FromHours(2));
        await AdvanceUntilAsync(clock, () => Failures(app) >= reported + 3);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);

        Assert.Single(app.Logs.Events, e => e.Name == "EmailUndelivered");
        var row = Assert.Single(await app.OutboxRowsAsync());
        Assert.True(row.GetBoolean("DeadlineReported"));
        Assert.True(row.GetInt32("Attempts") >= reported + 3);

        // And it is delivered once the relay is back.
        smtp.Start();
        await AdvanceUntilAsync(clock, () => smtp.Received.Any(m => m.IsTo(recipient)));
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(50);
        }
    }

    private static int Failures(FuncAuthApp app) => app.Logs.Events.Count(e => e.Name == "EmailSendFailed");
}
