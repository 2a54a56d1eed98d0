using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FuncAuth.Server.LocalStorage;

/// <summary>
/// Azurite's Table service run from the repository's <c>node_modules</c> (installed with <c>npm ci</c> when
/// missing), bound to loopback. For local runs and tests only: it is never part of a deployment.
/// </summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's well-known development account: public, documented, and accepted only by the emulator.
    private const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly Process _process;

    private AzuriteProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};" +
        $"TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>Starts the Table service on <paramref name="port"/>; in memory when <paramref name="dataFolder"/> is null.</summary>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, int port, string? dataFolder, CancellationToken cancellationToken = default)
    {
        var entryPoint = await EnsureInstalledAsync(repositoryRoot, cancellationToken);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { entryPoint, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableTelemetry", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        if (dataFolder is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            // Owner-only (0700): Azurite writes its files (users' password hashes, sessions) with its own umask,
            // typically 0644; inside a 0700 folder no other user can reach them whatever their mode.
            LocalDataFolder.CreateOwnerOnly(dataFolder);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataFolder);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        var output = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("successfully started", StringComparison.OrdinalIgnoreCase) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"Azurite exited at start:{Environment.NewLine}{output}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var azurite = new AzuriteProcess(process, port);
        try
        {
            await started.Task.WaitAsync(StartTimeout, cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>A port no one listens on right now (the OS picks it), on loopback.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The folder holding <c>FuncAuth.sln</c> and <c>package.json</c>, searched upwards from <paramref name="start"/>.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FuncAuth.sln")) && File.Exists(Path.Combine(folder.FullName, "package.json")))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static async Task<string> EnsureInstalledAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var entryPoint = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "table", "main.js");
        await InstallGate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(entryPoint))
            {
                await RunNpmCiAsync(repositoryRoot, cancellationToken);
            }
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(entryPoint)
            ? entryPoint
            : throw new InvalidOperationException($"'npm ci' did not install Azurite at {entryPoint}.");
    }

    private static async Task RunNpmCiAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(argument);
        }

        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm: is Node.js installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' failed in {repositoryRoot} (exit {process.ExitCode}):{Environment.NewLine}{await stdout}{await stderr}");
        }
    }
}
