using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace FuncAuth.LoadRunner;

/// <summary>The machine and software a report's figures belong to.</summary>
internal sealed record MachineInfo(
    string Host,
    int Cores,
    string Cpu,
    string Memory,
    string OperatingSystem,
    string Kernel,
    string DotNetRuntime,
    string DotNetSdk,
    string Azurite,
    string LoadGenerator,
    string Commit)
{
    public static async Task<MachineInfo> CollectAsync(string root, string azurite)
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memory = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
            ? string.Create(CultureInfo.InvariantCulture, $"{long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F1} GiB RAM")
            : "unknown";
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "unknown";
        var commit = (await OutputAsync("git", root, "rev-parse", "--short", "HEAD")).Trim();
        var dirty = (await OutputAsync("git", root, "status", "--porcelain", "--untracked-files=no")).Trim().Length > 0;
        return new MachineInfo(
            Environment.MachineName,
            Environment.ProcessorCount,
            cpu,
            memory,
            os,
            kernel,
            RuntimeInformation.FrameworkDescription,
            (await OutputAsync("dotnet", root, "--version")).Trim(),
            azurite,
            await Wrk.VersionAsync(),
            commit.Length == 0 ? "unknown" : dirty ? $"{commit} (with uncommitted changes)" : commit);
    }

    public static string LoadAverage() => string.Join(' ', (ReadLines("/proc/loadavg").FirstOrDefault() ?? "?").Split(' ').Take(3));

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static async Task<string> OutputAsync(string fileName, string folder, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(fileName) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? output : string.Empty;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }
}
