using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;
using MimeKit;

namespace FuncAuth.Tests.Email;

/// <summary>What the email tests share: an app that sends to a real SMTP server in the test, and reading links from what arrives.</summary>
internal static partial class MailFlow
{
    public static FuncAuthApp App(StorageFixture storage, TestSmtpServer smtp, IDictionary<string, string?>? more = null)
    {
        var settings = smtp.Settings();
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new FuncAuthApp(storage.ConnectionString, settings);
    }

    public static Task<HttpResponseMessage> ForgotAsync(this HttpClient client, string email) =>
        client.PostAsJsonAsync("api/auth/password/forgot", new { email });

    public static Task<HttpResponseMessage> ResetAsync(this HttpClient client, string token, string newPassword) =>
        client.PostAsJsonAsync("api/auth/password/reset", new { token, new_password = newPassword });

    public static Task<HttpResponseMessage> ConfirmAsync(this HttpClient client, string token) =>
        client.PostAsJsonAsync("api/auth/email/confirm", new { token });

    public static Task<HttpResponseMessage> ResendAsync(this HttpClient client, string email) =>
        client.PostAsJsonAsync("api/auth/email/resend", new { email });

    public static Task<HttpResponseMessage> ChangeEmailAsync(this HttpClient client, string accessToken, string email, string password = EmailClient.Password)
    {
        var request = AuthClient.WithBearer(HttpMethod.Post, "api/auth/email", accessToken);
        request.Content = JsonContent.Create(new { email, password });
        return client.SendAsync(request);
    }

    /// <summary>The caller's profile, read successfully.</summary>
    public static async Task<System.Text.Json.JsonElement> ProfileAsync(this HttpClient client, string accessToken)
    {
        using var response = await client.AccountAsync(accessToken);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync()).RootElement.Clone();
    }

    /// <summary>The link's token: in the URL fragment of the one link the message carries, the same in both parts.</summary>
    public static string TokenOf(ReceivedMail mail, string page)
    {
        var text = mail.Message.TextBody ?? throw new InvalidOperationException("The message has no text part.");
        var html = mail.Message.HtmlBody ?? throw new InvalidOperationException("The message has no HTML part.");
        var match = LinkPattern().Match(text);
        if (!match.Success || match.Groups["page"].Value != page)
        {
            throw new InvalidOperationException($"No {page} link in: {text}");
        }

        var token = match.Groups["token"].Value;
        if (!html.Contains($"{FuncAuthApp.Issuer}/{page}#token={token}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The HTML part does not carry the same link.");
        }

        return token;
    }

    /// <summary>Registers with an address, confirms it from the message, and answers the tokens of a session.</summary>
    public static async Task<(string Access, string Refresh)> RegisterConfirmedAsync(this HttpClient client, TestSmtpServer smtp, string username, string email)
    {
        using (var registered = await client.RegisterWithEmailAsync(username, email))
        {
            registered.EnsureSuccessStatusCode();
        }

        var confirmation = await smtp.WaitForOneToAsync(email);
        using (var confirmed = await client.ConfirmAsync(TokenOf(confirmation, "auth/confirm-email")))
        {
            Assert.Equal(System.Net.HttpStatusCode.NoContent, confirmed.StatusCode);
        }

        return await client.StartSessionAsync(username);
    }

    /// <summary>Whether a message's subject contains the text.</summary>
    public static bool Says(this ReceivedMail mail, string subjectText) =>
        (mail.Message.Subject ?? string.Empty).Contains(subjectText, StringComparison.Ordinal);

    /// <summary>Asks for a reset link for the address and answers the token of the reset message that arrives.</summary>
    public static async Task<string> ForgotTokenAsync(this HttpClient client, TestSmtpServer smtp, string email)
    {
        using (var forgot = await client.ForgotAsync(email))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, forgot.StatusCode);
        }

        return TokenOf((await smtp.WaitForAsync(m => m.IsTo(email) && m.Says("Reset")))[0], "auth/reset-password");
    }

    /// <summary>Waits for the dispatcher to have decided every message in the outbox (sent or dropped).</summary>
    public static async Task OutboxDrainedAsync(FuncAuthApp app, TimeSpan? timeout = null)
    {
        var table = app.Table("FuncAuth:Storage:OutboxTableName");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var left = 0;
            try
            {
                await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey"]))
                {
                    left++;
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
            }

            if (left == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{left} message(s) still in the outbox.");
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"https://funcauth\.test/(?<page>auth/[a-z-]+)#token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
