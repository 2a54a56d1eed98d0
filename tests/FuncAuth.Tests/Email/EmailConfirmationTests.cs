using System.Net;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Email;

/// <summary>
/// Confirming an address and changing it, over HTTP, every message received by a real SMTP server: a registration's
/// confirmation, a resend, an address change (confirmed on the new address, a notice to the old), and pages whose GET
/// never spends a token (mail scanners open links before people do).
/// </summary>
public sealed class EmailConfirmationTests(StorageFixture storage) : MailTests
{
    [Fact]
    public async Task A_registration_with_an_address_sends_a_confirmation_whose_token_confirms_it_once()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        using (var registered = await client.RegisterWithEmailAsync(username, email))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var mail = await Smtp.WaitForOneToAsync(email);
        Assert.Contains("Confirm", mail.Message.Subject, StringComparison.Ordinal);
        Assert.NotNull(mail.Message.TextBody);
        Assert.NotNull(mail.Message.HtmlBody);
        var token = MailFlow.TokenOf(mail, "auth/confirm-email");

        var (access, _) = await client.StartSessionAsync(username);
        Assert.False((await client.ProfileAsync(access)).GetProperty("email_confirmed").GetBoolean());

        using (var confirmed = await client.ConfirmAsync(token))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        }

        var account = await client.ProfileAsync(access);
        Assert.True(account.GetProperty("email_confirmed").GetBoolean());
        Assert.Equal(email, account.GetProperty("email").GetString());

        using var again = await client.ConfirmAsync(token);
        Expect.Problem(again, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Resend_sends_a_new_confirmation_to_an_unconfirmed_address_and_nothing_to_others_with_the_same_answer()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterWithEmailAsync(username, email);
        var first = MailFlow.TokenOf(await Smtp.WaitForOneToAsync(email), "auth/confirm-email");
        var confirmedAddress = EmailClient.NewAddress();
        await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), confirmedAddress);
        var unknown = EmailClient.NewAddress();

        foreach (var address in new[] { email, confirmedAddress, unknown })
        {
            using var resend = await client.ResendAsync(address);
            Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
            Assert.Empty(await resend.Content.ReadAsByteArrayAsync());
        }

        var second = (await Smtp.WaitForAsync(m => m.IsTo(email), count: 2))[1];
        var token = MailFlow.TokenOf(second, "auth/confirm-email");
        Assert.NotEqual(first, token);
        await MailFlow.OutboxDrainedAsync(app);
        Assert.Single(Smtp.Received, m => m.IsTo(confirmedAddress));
        Assert.DoesNotContain(Smtp.Received, m => m.IsTo(unknown));

        using var confirmed = await client.ConfirmAsync(token);
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
    }

    [Fact]
    public async Task An_address_change_takes_effect_only_when_the_new_address_is_confirmed_and_tells_the_old_one()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, old) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (access, _) = await client.RegisterConfirmedAsync(Smtp, username, old);
        var next = EmailClient.NewAddress();

        using (var wrong = await client.ChangeEmailAsync(access, next, "not the password"))
        {
            Expect.Problem(wrong, HttpStatusCode.Forbidden);
        }

        using (var asked = await client.ChangeEmailAsync(access, next))
        {
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }

        var confirmation = await Smtp.WaitForOneToAsync(next);
        var notice = (await Smtp.WaitForAsync(m => m.IsTo(old) && m.Says("being changed")))[0];
        Assert.DoesNotContain("#token=", notice.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(next, notice.Message.TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(old, (await client.ProfileAsync(access)).GetProperty("email").GetString());

        using (var confirmed = await client.ConfirmAsync(MailFlow.TokenOf(confirmation, "auth/confirm-email")))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        }

        var account = await client.ProfileAsync(access);
        Assert.Equal(next, account.GetProperty("email").GetString());
        Assert.True(account.GetProperty("email_confirmed").GetBoolean());

        // The old address is free again; the new one is taken.
        using (var reuse = await client.RegisterWithEmailAsync(AuthClient.NewUsername(), old))
        {
            Assert.Equal(HttpStatusCode.Created, reuse.StatusCode);
        }

        using var taken = await client.RegisterWithEmailAsync(AuthClient.NewUsername(), next);
        Expect.Problem(taken, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_change_to_an_address_another_account_holds_is_refused()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (access, _) = await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), EmailClient.NewAddress());
        var others = EmailClient.NewAddress();
        await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), others);

        using var asked = await client.ChangeEmailAsync(access, others.ToUpperInvariant());
        Expect.Problem(asked, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Opening_either_page_never_spends_the_token()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterWithEmailAsync(username, email);
        var confirmToken = MailFlow.TokenOf(await Smtp.WaitForOneToAsync(email), "auth/confirm-email");

        // What a mail scanner does: GET each link (a client sends no fragment; some scanners send it in the path anyway).
        foreach (var url in new[] { "auth/confirm-email", $"auth/confirm-email?token={confirmToken}", "auth/reset-password" })
        {
            using var page = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        using (var confirmed = await client.ConfirmAsync(confirmToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        }

        var resetToken = await client.ForgotTokenAsync(Smtp, email);
        using (var page = await client.GetAsync($"auth/reset-password?token={resetToken}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var reset = await client.ResetAsync(resetToken, "a brand new passphrase");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Fact]
    public async Task Requests_while_smtp_is_down_answer_as_usual_and_every_message_arrives_after_a_restart()
    {
        var tables = new Dictionary<string, string?>();
        var addresses = Enumerable.Range(0, 6).Select(_ => EmailClient.NewAddress()).ToList();
        // The first app leaves its tables for the second, which removes them.
        // Short retry delays and claim lease (the delivery tests' timings), so the outage is over within the test's patience.
        await using (var first = new FuncAuthApp(storage.ConnectionString, Smtp.Settings()) { DeleteTablesOnDispose = false, TestServices = FastDelivery })
        {
            using var client = first.CreateClient();
            foreach (var address in addresses)
            {
                await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), address);
            }

            await Smtp.StopAsync();
            foreach (var address in addresses)
            {
                var started = System.Diagnostics.Stopwatch.StartNew();
                using var forgot = await client.ForgotAsync(address);
                Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"forgot took {started.Elapsed} with SMTP down");
            }

            foreach (var setting in FuncAuthApp.TableSettings)
            {
                tables[setting] = first.Setting(setting);
            }

            // Give the dispatcher time to fail at least once.
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.DoesNotContain(Smtp.Received, m => m.Says("Reset") && addresses.Any(m.IsTo));
        }

        Smtp.Start();
        var settings = Smtp.Settings();
        foreach (var (key, value) in tables)
        {
            settings[key] = value;
        }

        await using var second = new FuncAuthApp(storage.ConnectionString, settings) { TestServices = FastDelivery };
        using var secondClient = second.CreateClient();
        var arrived = await Smtp.WaitForAsync(m => m.Says("Reset") && addresses.Any(m.IsTo), count: addresses.Count, TimeSpan.FromSeconds(90));
        Assert.Equal(addresses.Order(), arrived.Select(m => m.EnvelopeRecipients.Single()).Distinct().Order());
        using var reset = await secondClient.ResetAsync(MailFlow.TokenOf(arrived[0], "auth/reset-password"), "a brand new passphrase");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    private static void FastDelivery(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton(services, Delivery.DeliveryTestApps.FastTiming);
}
