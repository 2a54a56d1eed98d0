using FuncAuth.Email.Delivery;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static FuncAuth.Tests.Email.Delivery.DeliveryTestApps;

namespace FuncAuth.Tests.Email.Delivery;

/// <summary>Development without SMTP: each message is an owner-only .eml file in the local data folder, and the log names it.</summary>
public sealed class PickupFolderTests(StorageFixture storage)
{
    [Fact]
    public async Task Without_smtp_in_development_a_message_becomes_an_eml_file_whose_path_is_logged_and_not_its_content()
    {
        var data = Directory.CreateTempSubdirectory("funcauth-mail-");
        try
        {
            await using var app = Create(storage.ConnectionString, new Dictionary<string, string?>
            {
                ["FuncAuth:LocalDataPath"] = data.FullName,
                ["FuncAuth:Email:DispatchInterval"] = "00:00:00.2",
            });
            Assert.True(app.Services.GetRequiredService<EmailDelivery>().UsesPickupFolder);
            var recipient = NewRecipient();

            await app.Outbox().EnqueueAsync(Message(recipient, "Reset your password", secret: "tok3n-never-logged"), TestContext.Current.CancellationToken);

            var folder = Path.Combine(data.FullName, "mail");
            await EventuallyAsync(() => Task.FromResult(Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.eml").Any()));
            var file = Assert.Single(Directory.EnumerateFiles(folder));
            Assert.EndsWith(".eml", file, StringComparison.Ordinal);

            var message = await MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
            Assert.Equal(recipient, Assert.IsType<MailboxAddress>(Assert.Single(message.To)).Address);
            Assert.Equal("Reset your password", message.Subject);
            Assert.Contains("tok3n-never-logged", message.TextBody, StringComparison.Ordinal);
            Assert.IsType<MultipartAlternative>(message.Body);

            await EventuallyAsync(() => Task.FromResult(app.Logs.Lines.Any(l => l.Contains(file, StringComparison.Ordinal))));
            var line = Assert.Single(app.Logs.Lines, l => l.Contains(file, StringComparison.Ordinal));
            Assert.StartsWith("Information", line, StringComparison.Ordinal);
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("tok3n-never-logged", StringComparison.Ordinal));
            await EventuallyAsync(async () => (await app.OutboxRowsAsync()).Count == 0);

            // Messages carry tokens: only their owner may read them.
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            }
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
