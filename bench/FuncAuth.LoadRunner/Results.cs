namespace FuncAuth.LoadRunner;

internal enum TargetKind
{
    Bare,
    Verify,
    JwtBearer,
    Login,
}

/// <summary>What wrk drives: a kind of endpoint, under one signing algorithm, in one condition.</summary>
internal sealed record Target(TargetKind Kind, string Algorithm, int Revocations = 0)
{
    public string Name => Kind switch
    {
        TargetKind.Bare => $"bare 200 ({Algorithm} server)",
        TargetKind.Verify when Revocations > 0 => $"verify {Algorithm}, {Revocations:N0} revocations",
        TargetKind.Verify => $"verify {Algorithm}",
        TargetKind.JwtBearer => $"JwtBearer API {Algorithm}",
        _ => $"login ({Algorithm} server)",
    };
}

/// <summary>One wrk run and what the suite saw around it.</summary>
internal sealed record Measurement(Target Target, int Connections, int Run, WrkResult Result, long StorageRequests, TimeSpan StorageWindow, long? PeakResidentBytes);

internal sealed record HashRate(int Threads, int Run, double PerSecond);

internal sealed record StartupTime(string Algorithm, int Revocations, int Run, TimeSpan Elapsed);

/// <summary>Everything one suite run measured, for the report.</summary>
internal sealed class SuiteResults
{
    public List<Measurement> Measurements { get; } = [];

    public List<HashRate> HashRates { get; } = [];

    public List<StartupTime> Startups { get; } = [];

    /// <summary>Working set figures in bytes, by what was happening.</summary>
    public List<(string What, long Bytes)> Memory { get; } = [];

    /// <summary>What the suite checked before measuring, and other facts worth a line in the report.</summary>
    public List<string> Notes { get; } = [];

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset Finished { get; set; }

    public string LoadAtStart { get; set; } = string.Empty;

    public string LoadAtEnd { get; set; } = string.Empty;
}
