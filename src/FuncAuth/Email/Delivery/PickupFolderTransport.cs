using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace FuncAuth.Email.Delivery;

/// <summary>
/// Development without SMTP: each message becomes <c>&lt;local data folder&gt;/mail/&lt;id&gt;.eml</c>, owner-only, and
/// the log names the file. Only the path is logged: the message itself may carry a token.
/// </summary>
internal sealed partial class PickupFolderTransport(IHostEnvironment environment, IConfiguration configuration, ILogger<PickupFolderTransport> logger)
    : IMailTransport
{
    public const string FolderName = "mail";

    public string Folder => Path.Combine(LocalDataFolder.Resolve(environment, configuration), FolderName);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var folder = Folder;

        // The data folder is owner-only (it holds the signing key); the mail folder is too, since messages carry tokens.
        LocalDataFolder.CreateOwnerOnly(Path.GetDirectoryName(folder)!);
        LocalDataFolder.CreateOwnerOnly(folder);

        // The outbox id (the Message-Id's local part, hex); anything else is replaced, so the name stays in the folder.
        var id = new string((message.MessageId ?? Guid.NewGuid().ToString("N")).TakeWhile(c => c != '@').Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var path = Path.Combine(folder, id + ".eml");
        var partial = path + ".partial";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Written aside and then moved, so a reader never sees half a message.
        await using (var stream = new FileStream(partial, fileOptions))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
        LogWritten(logger, path);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No SMTP relay configured (Development): the message was written to {Path}.")]
    private static partial void LogWritten(ILogger logger, string path);
}
