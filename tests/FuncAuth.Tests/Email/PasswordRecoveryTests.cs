using System.Net;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Email;

/// <summary>
/// Password recovery over HTTP, with every message received by a real SMTP server: forgot → the message → reset, and what
/// a reset must end, refuse and leave alone; no account enumeration through forgot; single use under a race; expiry; the
/// per-recipient budget; and a token that never reaches the logs or storage as it is.
/// </summary>
public sealed class PasswordRecoveryTests(StorageFixture storage) : MailTests
{
    private const string NewPassword = "a brand new passphrase";

    [Fact]
    public async Task Forgot_then_reset_sets_the_password_ends_every_session_and_spends_the_token()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (access, refresh) = await client.RegisterConfirmedAsync(Smtp, username, email);
        var (otherAccess, otherRefresh) = await client.StartSessionAsync(username);

        using (var forgot = await client.ForgotAsync(email))
        {
            Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        }

        var mail = (await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("Reset")))[0];
        Assert.Equal(TestSmtpServer.From, mail.Message.From.Mailboxes.Single().Address);
        var token = MailFlow.TokenOf(mail, "auth/reset-password");

        using (var reset = await client.ResetAsync(token, NewPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        // Every earlier session and access token is over, as logout everywhere.
        await Expect.RevokedAsync(client, access);
        await Expect.RevokedAsync(client, otherAccess);
        await Expect.InvalidGrantAsync(client, refresh);
        await Expect.InvalidGrantAsync(client, otherRefresh);

        using (var old = await client.LoginAsync(username, EmailClient.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }

        using (var fresh = await client.LoginAsync(username, NewPassword))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        using (var again = await client.ResetAsync(token, "yet another passphrase"))
        {
            Expect.Problem(again, HttpStatusCode.BadRequest);
            Assert.Contains("token", (await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        // The notice, carrying no link.
        var notice = (await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("was reset")))[0];
        Assert.DoesNotContain("#token=", notice.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgot_answers_an_unknown_address_exactly_as_a_known_one_and_sends_it_nothing()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var known = EmailClient.NewAddress();
        await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), known);
        var unknown = EmailClient.NewAddress();

        using var forKnown = await client.ForgotAsync(known);
        using var forUnknown = await client.ForgotAsync(unknown);
        Assert.Equal(HttpStatusCode.Accepted, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(Headers(forKnown), Headers(forUnknown));
        Assert.Equal(await forKnown.Content.ReadAsByteArrayAsync(), await forUnknown.Content.ReadAsByteArrayAsync());

        await Smtp.WaitForAsync(m => m.IsTo(known) && m.Says("Reset"));
        await MailFlow.OutboxDrainedAsync(app);
        Assert.DoesNotContain(Smtp.Received, m => m.IsTo(unknown));

        static string Headers(HttpResponseMessage response) => string.Join(
            "\n",
            response.Headers.Concat(response.Content.Headers).Where(h => h.Key != "Date")
                .Select(h => $"{h.Key}: {string.Join(",", h.Value)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Twenty_concurrent_resets_with_one_token_let_exactly_one_through()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        var token = await client.ForgotTokenAsync(Smtp, email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await client.ResetAsync(token, $"racing passphrase number {i}");
            return (i, response.StatusCode);
        }));

        var winner = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NoContent);
        Assert.All(answers.Where(a => a != winner), a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        using var login = await client.LoginAsync(username, $"racing passphrase number {winner.i}");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_reset_token_expires_after_its_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FuncAuthApp(storage.ConnectionString, Smtp.Settings()) { Time = time };
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        var token = await client.ForgotTokenAsync(Smtp, email);

        time.Advance(TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(1));
        using (var late = await client.ResetAsync(token, NewPassword))
        {
            Expect.Problem(late, HttpStatusCode.BadRequest);
        }

        using var login = await client.LoginAsync(username, EmailClient.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_password_change_voids_every_outstanding_reset_token()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (access, _) = await client.RegisterConfirmedAsync(Smtp, username, email);
        var token = await client.ForgotTokenAsync(Smtp, email);

        using (var changed = await client.ChangePasswordAsync(access, EmailClient.Password, "changed the usual way"))
        {
            Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        }

        using (var reset = await client.ResetAsync(token, NewPassword))
        {
            Expect.Problem(reset, HttpStatusCode.BadRequest);
        }

        using var login = await client.LoginAsync(username, "changed the usual way");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_refused_new_password_leaves_the_token_usable()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        var token = await client.ForgotTokenAsync(Smtp, email);

        using (var weak = await client.ResetAsync(token, "short"))
        {
            Expect.Problem(weak, HttpStatusCode.BadRequest);
            Assert.Contains("new_password", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var reset = await client.ResetAsync(token, NewPassword);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
    }

    [Fact]
    public async Task A_reset_clears_the_names_lockout()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.LoginAsync(username, $"wrong guess {i}");
        }

        using (var locked = await client.LoginAsync(username, EmailClient.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        var token = await client.ForgotTokenAsync(Smtp, email);
        using (var reset = await client.ResetAsync(token, NewPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        using var login = await client.LoginAsync(username, NewPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task One_address_gets_at_most_the_hourly_budget_of_messages_however_many_requests_ask()
    {
        await using var app = MailFlow.App(storage, Smtp, new Dictionary<string, string?> { ["FuncAuth:Email:MaxMessagesPerAddressPerHour"] = "3" });
        using var client = app.CreateClient();
        var email = EmailClient.NewAddress();
        await client.RegisterConfirmedAsync(Smtp, AuthClient.NewUsername(), email);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await client.ForgotAsync(email);
            return response.StatusCode;
        }));
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Accepted, status));

        await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("Reset"), count: 3);
        await MailFlow.OutboxDrainedAsync(app);
        Assert.Equal(3, Smtp.Received.Count(m => m.IsTo(email) && m.Says("Reset")));
    }

    [Fact]
    public async Task The_token_reaches_neither_the_logs_nor_storage_as_it_is()
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        await client.RegisterConfirmedAsync(Smtp, username, email);
        var token = await client.ForgotTokenAsync(Smtp, email);

        foreach (var setting in new[] { "FuncAuth:Storage:OneTimeTokensTableName", "FuncAuth:Storage:OutboxTableName", "FuncAuth:Storage:UsersTableName" })
        {
            await foreach (var entity in app.Table(setting).QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                Assert.DoesNotContain(entity, v => v.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true);
                Assert.DoesNotContain(token, entity.PartitionKey, StringComparison.Ordinal);
            }
        }

        using (var reset = await client.ResetAsync(token, NewPassword))
        {
            Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        }

        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("victim@example.com\r\nBcc: attacker@example.com")]
    [InlineData("Victim <victim@example.com>")]
    [InlineData("victim@example.com (comment)")]
    public async Task An_address_with_a_line_break_a_display_name_or_a_comment_is_refused(string address)
    {
        await using var app = MailFlow.App(storage, Smtp);
        using var client = app.CreateClient();
        using var forgot = await client.ForgotAsync(address);
        Expect.Problem(forgot, HttpStatusCode.BadRequest);
        Assert.Contains("email", await forgot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var resend = await client.ResendAsync(address);
        Expect.Problem(resend, HttpStatusCode.BadRequest);
    }
}
