using System.Net;
using FuncAuth.Server.LocalStorage;

namespace FuncAuth.Tests.Support;

/// <summary>
/// FuncAuth on Kestrel at 127.0.0.1, over real TCP, with the local defaults the README's snippets for other stacks are
/// written for (issuer and audience <c>funcauth</c>, an ES256 key): where a snippet says <see cref="ReadmeAddress"/>, the
/// test puts <see cref="Address"/>.
/// </summary>
internal sealed class ReadmeFuncAuth : IAsyncDisposable
{
    /// <summary>FuncAuth's address in the README's snippets.</summary>
    public const string ReadmeAddress = "http://localhost:7071";

    /// <summary>Debian's Python, with its <c>python3-jwt</c> (PyJWT; <c>.ci/run</c> installs it), which runs the PyJWT snippet.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly int _port = AzuriteProcess.FreePort();

    public ReadmeFuncAuth(string connectionString)
    {
        App = new FuncAuthApp(connectionString, new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Tokens:Issuer"] = "funcauth",
            ["FuncAuth:Tokens:Audience"] = "funcauth",
        });
        App.UseKestrel(options => options.Listen(IPAddress.Loopback, _port));
        App.StartServer();
        Client = new HttpClient { BaseAddress = new Uri(Address + "/") };
    }

    public FuncAuthApp App { get; }

    /// <summary>A client of <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    public string Address => $"http://127.0.0.1:{_port}";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
