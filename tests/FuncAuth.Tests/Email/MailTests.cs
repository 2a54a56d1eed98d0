using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Email;

/// <summary>A test class with a real SMTP server of its own, started before and stopped after each test.</summary>
public abstract class MailTests : IAsyncLifetime
{
    protected TestSmtpServer Smtp { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Smtp = TestSmtpServer.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
