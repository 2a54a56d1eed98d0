using System.Globalization;

namespace FuncAuth.LoadRunner;

/// <summary>What one suite run does, from the environment (bench/run sets it from its flags).</summary>
internal sealed record Settings(
    string RepositoryRoot,
    string Duration,
    string Warmup,
    int Runs,
    IReadOnlyList<int> Connections,
    int Revocations,
    int TimingSamples,
    string? Label,
    string OutputFolder,
    int ImportUsers = Settings.DefaultImportUsers,
    bool ImportOnly = false)
{
    /// <summary>Users the import step imports when BENCH_IMPORT_USERS does not say (0 skips the step).</summary>
    public const int DefaultImportUsers = 20_000;

    /// <summary>Sign-ins of each kind the import step times (imported bcrypt, Identity V3, V2, native, and registered).</summary>
    public const int ImportSignInSamples = 7;

    /// <summary>The cost a deployment runs at (FuncAuth's default), for login and the raw PBKDF2 rate alike.</summary>
    public const int PasswordIterations = 600_000;

    /// <summary>The connection counts of the login goal, measured whatever else is.</summary>
    public static readonly IReadOnlyList<int> LoginGoalConnections = [1, 2];

    /// <summary>The most connections the sign-in step (password, TOTP, passkey) runs at: each needs a user of its own.</summary>
    public const int MaxSignInConnections = 16;

    /// <summary>Requests of each kind the timing steps (failed logins, forgot) take when BENCH_TIMING_SAMPLES does not say.</summary>
    public const int DefaultTimingSamples = 30;

    /// <summary>The same for a smoke run (its label says smoke): enough to show the step works, quickly.</summary>
    public const int SmokeTimingSamples = 8;

    public TimeSpan DurationTime => ParseDuration(Duration);

    public TimeSpan WarmupTime => ParseDuration(Warmup);

    /// <summary>The sign-in step's connection counts: 1 and 2 always, and those of BENCH_CONNECTIONS up to <see cref="MaxSignInConnections"/>.</summary>
    public IReadOnlyList<int> SignInConnections =>
        [.. LoginGoalConnections.Union(Connections.Where(c => c <= MaxSignInConnections)).Order()];

    public bool IsSmoke => Label?.Contains("smoke", StringComparison.OrdinalIgnoreCase) == true;

    public static Settings FromEnvironment()
    {
        var root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException("Run from inside the FuncAuth repository (FuncAuth.sln and package.json not found above here).");
        var duration = Get("BENCH_DURATION", "10s");
        var warmup = Get("BENCH_WARMUP", "5s");
        _ = ParseDuration(duration);
        _ = ParseDuration(warmup);
        var runs = int.Parse(Get("BENCH_RUNS", "3"), CultureInfo.InvariantCulture);
        if (runs < 1)
        {
            throw new InvalidOperationException("BENCH_RUNS must be at least 1 (the report's figures are medians of at least 3).");
        }

        var connections = Get("BENCH_CONNECTIONS", "1,16,64,256")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToArray();
        if (connections.Length == 0 || connections[0] < 1)
        {
            throw new InvalidOperationException("BENCH_CONNECTIONS must list positive connection counts, e.g. 1,16,64,256.");
        }

        var revocations = int.Parse(Get("BENCH_REVOCATIONS", "100000"), CultureInfo.InvariantCulture);
        var label = Environment.GetEnvironmentVariable("BENCH_LABEL");
        var smoke = label?.Contains("smoke", StringComparison.OrdinalIgnoreCase) == true;
        var timingSamples = int.Parse(
            Get("BENCH_TIMING_SAMPLES", (smoke ? SmokeTimingSamples : DefaultTimingSamples).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        if (timingSamples < 0)
        {
            throw new InvalidOperationException("BENCH_TIMING_SAMPLES must be 0 (skips the login and forgot timing steps) or more.");
        }

        var importUsers = int.Parse(Get("BENCH_IMPORT_USERS", DefaultImportUsers.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var only = Environment.GetEnvironmentVariable("BENCH_ONLY")?.Trim();
        if (only is { Length: > 0 } && only != "import")
        {
            throw new InvalidOperationException("BENCH_ONLY can only be 'import' (the import step alone).");
        }

        if (only == "import" && importUsers < 4 * ImportSignInSamples)
        {
            throw new InvalidOperationException($"BENCH_ONLY=import needs BENCH_IMPORT_USERS of at least {4 * ImportSignInSamples}.");
        }

        var output = Get("BENCH_OUTPUT", Path.Combine(root, "bench", "results"));
        return new Settings(root, duration, warmup, runs, connections, Math.Max(0, revocations), timingSamples,
            string.IsNullOrWhiteSpace(label) ? null : label.Trim(), Path.GetFullPath(output),
            importUsers < 4 * ImportSignInSamples ? 0 : importUsers, only == "import");
    }

    /// <summary>wrk's duration syntax in whole seconds or minutes: <c>10s</c>, <c>2m</c>, or a bare number of seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var value = text.Trim();
        var (number, unit) = value.EndsWith('s') ? (value[..^1], 1)
            : value.EndsWith('m') ? (value[..^1], 60)
            : (value, 1);
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount > 0
            ? TimeSpan.FromSeconds(amount * unit)
            : throw new InvalidOperationException($"'{text}' is not a duration like 10s or 2m.");
    }

    private static string Get(string name, string fallback)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
    }

    private static string? FindRepositoryRoot(string start)
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
}
