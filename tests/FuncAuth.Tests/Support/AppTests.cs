namespace FuncAuth.Tests.Support;

/// <summary>A test class with an app of its own (fresh tables) and a client of it, disposed after the class's tests.</summary>
public abstract class AppTests(FuncAuthApp app) : IAsyncLifetime
{
    protected FuncAuthApp App { get; } = app;

    protected HttpClient Client { get; private set; } = null!;

    public virtual ValueTask InitializeAsync()
    {
        Client = App.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
