using System.Net.Sockets;
using FuncAuth.Security;
using FuncAuth.Storage;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// Sends what the outbox holds, on every instance: every <see cref="EmailOptions.DispatchInterval"/>, or at once when a
/// request of this instance wrote a message, it reads the messages due, claims each (an ETag-conditional write that only
/// one instance can win, holding it for <see cref="OutboxTiming.ClaimLease"/>), composes and sends it, and removes it.
/// A failure (SMTP, composing, storage) puts the message back with an exponential, jittered delay; nothing is dropped
/// for failing, and a message still unsent after <see cref="EmailOptions.DeliveryDeadline"/> is reported once, as a
/// critical event. Delivery is at least once: a message sent whose removal then fails is sent again.
/// </summary>
internal sealed partial class OutboxDispatcher(
    EmailDelivery delivery,
    OutboxStore store,
    DispatchSignal signal,
    IServiceProvider services,
    IOptions<EmailOptions> options,
    OutboxTiming timing,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!delivery.IsConfigured)
        {
            return;
        }

        var interval = options.Value.DispatchInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Storage unavailable, or anything unforeseen: a background loop that ends takes delivery with it, and one
                // that throws stops the host. The messages wait in the table for the next round.
                LogRoundFailed(logger, e);
            }

            try
            {
                await signal.WaitAsync(interval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Sends every message due now, a batch at a time, until none is left or the relay is unreachable.</summary>
    internal async Task DispatchDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var due = await store.DueAsync(time.GetUtcNow(), timing.BatchSize, cancellationToken);
            foreach (var row in due)
            {
                if (await TrySendAsync(row, cancellationToken) == Outcome.RelayUnreachable)
                {
                    // The relay is down: the other messages wait for the next round rather than each failing in turn
                    // (and each counting an attempt). The oldest goes first again then, probing the relay.
                    return;
                }
            }

            if (due.Count < timing.BatchSize)
            {
                return;
            }
        }
    }

    private async Task<Outcome> TrySendAsync(OutboxRow row, CancellationToken stoppingToken)
    {
        var claimed = await store.TryClaimAsync(row, time.GetUtcNow() + timing.ClaimLease, stoppingToken);
        if (claimed is null)
        {
            return Outcome.Skipped;
        }

        var message = row.ToMessage();
        if (message is null || !OutboxMail.IsPlainAddress(message.Recipient))
        {
            // Not a row FuncAuth wrote: retrying cannot help.
            await store.DeleteAsync(claimed, stoppingToken);
            SecurityEvents.EmailUnreadable(logger, row.Id, row.Kind);
            return Outcome.Dropped;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(timing.SendTimeout);
        try
        {
            var content = await services.GetRequiredService<IOutboxComposer>().ComposeAsync(message, timeout.Token);
            if (content is null)
            {
                await store.DeleteAsync(claimed, stoppingToken);
                SecurityEvents.EmailDropped(logger, row.Id, row.Kind);
                return Outcome.Dropped;
            }

            var settings = options.Value;
            var from = string.IsNullOrWhiteSpace(settings.From) ? EmailDelivery.DevelopmentFrom : settings.From;
            var fromName = string.IsNullOrWhiteSpace(settings.FromName) ? settings.ProductName : settings.FromName;
            var mime = OutboxMail.Build(row.Id, message.Recipient, content, from, fromName, time.GetUtcNow());
            await services.GetRequiredService<IMailTransport>().SendAsync(mime, timeout.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-send: give the claim back at once (best effort), so the next instance need not wait for
            // the lease. Whether or not that write lands, the message is not lost: the lease runs out and it is retried.
            await ReleaseOnShutdownAsync(claimed);
            throw;
        }
        catch (Exception e)
        {
            // Not under the stopping token: an app shutting down right after a failed attempt still gives the claim back
            // (bounded), so the next instance need not wait for the lease.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await RescheduleAsync(claimed, e, bounded.Token);
        }

        // Sent. A failed removal is not a failure to send: the row comes back after the lease and is sent again
        // (at least once), which the Message-Id lets a reader recognise.
        SecurityEvents.EmailSent(logger, row.Id, row.Kind, row.Attempts + 1);
        try
        {
            await store.DeleteAsync(claimed, stoppingToken);
        }
        catch (StorageUnavailableException e)
        {
            LogRemovalFailed(logger, row.Id, e);
        }

        return Outcome.Sent;
    }

    private async Task<Outcome> RescheduleAsync(OutboxRow claimed, Exception failure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempts = claimed.Attempts + 1;
        var next = now + Backoff(attempts);
        var reason = Describe(failure);
        var settings = options.Value;
        var overdue = !claimed.DeadlineReported && now - claimed.CreatedAt >= settings.DeliveryDeadline;

        // The report is recorded in the same conditional write, and logged only when that write lands: once per message,
        // whichever instance gets there, and never again for it.
        if (await store.ReleaseAsync(claimed, now, next, attempts, claimed.DeadlineReported || overdue, cancellationToken))
        {
            SecurityEvents.EmailSendFailed(logger, claimed.Id, claimed.Kind, attempts, reason, next);
            if (overdue)
            {
                SecurityEvents.EmailUndelivered(logger, claimed.Id, claimed.Kind, settings.DeliveryDeadline, attempts, reason);
            }
        }

        return IsRelayUnreachable(failure) ? Outcome.RelayUnreachable : Outcome.Failed;
    }

    private async Task ReleaseOnShutdownAsync(OutboxRow claimed)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var now = time.GetUtcNow();
            await store.ReleaseAsync(claimed, now, now, claimed.Attempts, claimed.DeadlineReported, bounded.Token);
        }
        catch (Exception e) when (e is StorageUnavailableException or OperationCanceledException)
        {
        }
    }

    /// <summary>Exponential from <see cref="OutboxTiming.FirstRetryDelay"/>, doubling, capped, with jitter (half fixed, half random).</summary>
    private TimeSpan Backoff(int attempts)
    {
        var doublings = Math.Min(attempts - 1, 30);
        var ceiling = Math.Min(timing.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, doublings), timing.MaxRetryDelay.TotalMilliseconds);

        // Jitter spreads the retries of many messages (and instances) that failed together over time.
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static bool IsRelayUnreachable(Exception e) => e is SocketException or IOException or TimeoutException
        or OperationCanceledException or SmtpProtocolException or ServiceNotConnectedException or SslHandshakeException
        or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException;

    /// <summary>
    /// What went wrong, for the log, without the exception's message: a relay's reply can quote the recipient, and a
    /// composer's failure anything it was given.
    /// </summary>
    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException smtp => $"the relay refused it: SMTP {(int)smtp.StatusCode} ({smtp.ErrorCode})",
        SocketException socket => $"the relay could not be reached: {socket.SocketErrorCode}",
        SslHandshakeException => "the TLS handshake with the relay failed",
        MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException => "the relay refused the credentials (FuncAuth:Email:Smtp:Username, Password)",
        NotSupportedException when e.Source?.StartsWith("MailKit", StringComparison.Ordinal) == true => "the relay does not offer what the settings require (STARTTLS, authentication)",
        OperationCanceledException => "it took longer than allowed",
        StorageUnavailableException => "storage was unavailable",
        _ => e.GetType().Name,
    };

    private enum Outcome
    {
        Sent,
        Dropped,
        Skipped,
        Failed,
        RelayUnreachable,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox round failed; the messages wait for the next one.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} was sent but could not be removed; it will be sent again after its lease.")]
    private static partial void LogRemovalFailed(ILogger logger, string messageId, Exception exception);
}
