using System.Diagnostics;
using System.Globalization;

namespace FuncAuth.LoadRunner;

/// <summary>
/// A process the suite started (and only such a process: it is stopped by its own handle), its output kept
/// for error messages and drained so a full pipe never stalls it, and its memory and CPU read from /proc.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat, 100 on every Linux the suite targets.
    private const double ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private bool _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the process wrote, for a message that says why it failed.</summary>
    public string Tail()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>Resident set size (VmRSS) in bytes, or null when the process is gone.</summary>
    public long? ResidentBytes() => ReadStatus("VmRSS:");

    /// <summary>Peak resident set size (VmHWM) in bytes, or null when the process is gone.</summary>
    public long? PeakResidentBytes() => ReadStatus("VmHWM:");

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Id}/stat");

            // The command name may hold spaces and parentheses: the fields that follow start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Waits until the process uses less than a tenth of a core (work left over from the last run, such as
    /// password hashes for connections wrk has already closed, would otherwise be measured with the next run).
    /// </summary>
    public async Task WaitUntilQuietAsync(TimeSpan limit)
    {
        var window = TimeSpan.FromMilliseconds(250);
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var quietWindows = 0;
        while (quietWindows < 2 && Stopwatch.GetTimestamp() < deadline && !HasExited)
        {
            var before = CpuTime();
            await Task.Delay(window);
            quietWindows = (CpuTime() - before) < window * 0.1 ? quietWindows + 1 : 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"{Name} (pid {Id}) did not exit within 15 s of being killed.");
        }
        finally
        {
            _process.Dispose();
        }
    }

    private long? ReadStatus(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            var kib = line?[field.Length..].Trim().Split(' ')[0];
            return kib is null ? null : long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
