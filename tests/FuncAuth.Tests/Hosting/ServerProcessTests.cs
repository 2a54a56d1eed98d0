using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FuncAuth.Server.LocalStorage;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Hosting;

/// <summary>
/// The Kestrel host as a developer runs it: a real process, in Development, with no storage configured.
/// It must start Azurite itself, say so, serve the endpoints, and take Azurite down when it stops.
/// </summary>
public sealed partial class ServerProcessTests
{
    [Fact]
    public async Task With_no_storage_configured_the_server_runs_its_own_azurite_and_stops_it()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Stops the server with SIGTERM.");
        var dataFolder = Directory.CreateTempSubdirectory("funcauth-server-").FullName;
        var port = AzuriteProcess.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["FuncAuth__LocalDataPath"] = dataFolder,
                ["FuncAuth__Passwords__Iterations"] = "1000",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FuncAuth.Server.dll"));

        var output = new StringBuilder();
        using var server = Process.Start(start)!;
        var listening = new TaskCompletionSource();
        server.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        server.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            var azuritePort = int.Parse(AzuritePort().Match(output.ToString()).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(AzuriteProcess.IsPortFree(azuritePort));

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using (var health = await client.GetAsync("api/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
            using (var verified = await client.VerifyAsync(token))
            {
                Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            }

            Assert.True(File.Exists(Path.Combine(dataFolder, "signing-key.pem")));
            Assert.True(Directory.Exists(Path.Combine(dataFolder, "azurite")));

            using (var stop = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await stop.WaitForExitAsync();
            }

            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(AzuriteProcess.IsPortFree(azuritePort), $"Azurite still listens on {azuritePort} after the server stopped.");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [GeneratedRegex(@"started Azurite \(Table service\) on 127\.0\.0\.1:(\d+)")]
    private static partial Regex AzuritePort();
}
