using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Hosting;

/// <summary>
/// The Kestrel host, as a real process, that cannot start: it says why in one line on stderr and exits with 1
/// (it used to print the message twice inside a stack trace, or 60 lines for a busy port, and abort with 134).
/// </summary>
public sealed class StartupOutputTests(StorageFixture storage)
{
    [Fact]
    public async Task A_bad_and_a_misspelt_setting_are_named_in_one_line_and_exit_1()
    {
        var run = await RunServerAsync(AzuriteProcess.FreePort(), new()
        {
            ["FuncAuth__Tokens__ClockSkew"] = "banana",
            ["FuncAuth__Lockout__MaxFailedAttemps"] = "3",
        });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Equal(
            "FuncAuth did not start: FuncAuth:Tokens:ClockSkew must be a time span such as 01:00:00 ([d.]hh:mm:ss). " +
            "FuncAuth:Lockout:MaxFailedAttemps is not a FuncAuth setting; did you mean FuncAuth:Lockout:MaxFailedAttempts?",
            line);
        Assert.DoesNotContain("banana", run.Output, StringComparison.Ordinal);
        AssertNoFailureLogs(run);
    }

    [Fact]
    public async Task A_port_in_use_is_named_in_one_line_and_exit_1()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var run = await RunServerAsync(port, []);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("FuncAuth did not start: ", line, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        AssertNoFailureLogs(run);
    }

    /// <summary>No host error or critical line (the "Hosting failed to start" stack, "BackgroundService failed").</summary>
    private static void AssertNoFailureLogs(ServerRun run)
    {
        Assert.DoesNotContain("fail:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("crit:", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", run.Errors, StringComparison.Ordinal);
    }

    private async Task<ServerRun> RunServerAsync(int port, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["FuncAuth__Storage__ConnectionString"] = storage.ConnectionString,
                ["FuncAuth__Tokens__SigningKey"] = FuncAuthApp.SigningKey,
                ["FuncAuth__Passwords__Iterations"] = "1000",
            },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FuncAuth.Server.dll"));
        using var server = Process.Start(start)!;
        try
        {
            var output = server.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = server.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            return new ServerRun(server.ExitCode, await output, await errors);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private sealed record ServerRun(int ExitCode, string Output, string Errors)
    {
        public string[] ErrorLines => Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Errors}");
    }
}
