namespace FuncAuth.LoadRunner;

internal enum TargetKind
{
    Bare,
    Verify,
    JwtBearer,
    Login,

    /// <summary>The sign-ins the suite's own client drives (<see cref="SignInLoad"/>): each needs something fresh per request.</summary>
    PasswordSignIn,
    TotpSignIn,
    PasskeySignIn,
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
        TargetKind.PasswordSignIn => "password sign-in (suite client)",
        TargetKind.TotpSignIn => "TOTP sign-in (password + code)",
        TargetKind.PasskeySignIn => "passkey sign-in (options + assertion)",
        _ => $"login ({Algorithm} server)",
    };
}

/// <summary>One wrk run and what the suite saw around it.</summary>
internal sealed record Measurement(Target Target, int Connections, int Run, WrkResult Result, long StorageRequests, TimeSpan StorageWindow, long? PeakResidentBytes);

/// <summary>One sign-in run's steps (the whole sign-in is its <see cref="Measurement"/>), and how it went.</summary>
internal sealed record SignInDetail(Target Target, int Connections, int Run, SignInRun SignIns);

internal sealed record HashRate(int Threads, int Run, double PerSecond);

internal sealed record StartupTime(string Algorithm, int Revocations, int Run, TimeSpan Elapsed);

/// <summary>The kinds of failed login the timing step compares: to the client, all three are one 401.</summary>
internal enum FailedLogin
{
    UnknownUser,
    WrongPassword,
    LockedAccount,
}

/// <summary>The latencies of one kind of request in a timing step, in milliseconds, in the order they were taken.</summary>
internal sealed record KindTiming(string Name, IReadOnlyList<double> Milliseconds)
{
    public double Median => Stats.Median(Milliseconds);

    /// <summary>The nearest-rank 90th percentile.</summary>
    public double P90 => Stats.Percentile(Milliseconds, 0.9);
}

/// <summary>
/// A timing step: kinds of request that all answer alike to the client, sent one after another, and whether their
/// medians tell them apart. <typeparamref name="TKind"/> is the enum of the kinds.
/// </summary>
internal abstract class TimingResults<TKind>
    where TKind : struct, Enum
{
    /// <summary>The medians are to be within this fraction of each other (the smallest one's).</summary>
    public const double SpreadGoal = 0.10;

    public List<KindTiming> Kinds { get; } = [];

    /// <summary>Why the step was aborted (an answer other than the one every kind must give), or null.</summary>
    public string? Error { get; set; }

    /// <summary>Connections the timing client opened while measuring (after its warm-up): 0 when the one it warmed up served all.</summary>
    public int Reconnects { get; set; }

    /// <summary>(largest median − smallest median) ÷ smallest median, or NaN when not every kind was measured.</summary>
    public double Spread
    {
        get
        {
            var medians = Kinds.Where(k => k.Milliseconds.Count > 0).Select(k => k.Median).ToArray();
            return medians.Length < Enum.GetValues<TKind>().Length || medians.Min() <= 0
                ? double.NaN
                : (medians.Max() - medians.Min()) / medians.Min();
        }
    }
}

/// <summary>The login timing step: each kind of failed login's latencies, and how it went.</summary>
internal sealed class LoginTimingResults : TimingResults<FailedLogin>
{
    public static string NameOf(FailedLogin kind) => kind switch
    {
        FailedLogin.UnknownUser => "unknown user",
        FailedLogin.WrongPassword => "wrong password",
        _ => "locked account (right password)",
    };

    /// <summary>How often the locked account's lock had ended and it was locked again (its 200 not counted).</summary>
    public int Relocks { get; set; }
}

/// <summary>The kinds of address the forgot timing step compares: to the client, both are one 202 with no body.</summary>
internal enum ForgotAddress
{
    /// <summary>An account's address: a reset message is sent to it.</summary>
    Known,

    /// <summary>An address no account has: nothing is sent.</summary>
    Unknown,
}

/// <summary>The forgot timing step: each kind's latencies, and what the server did in the background.</summary>
internal sealed class ForgotTimingResults : TimingResults<ForgotAddress>
{
    public static string NameOf(ForgotAddress kind) => kind == ForgotAddress.Known ? "an account's address" : "an unknown address";

    /// <summary>Reset messages the known addresses were sent (timed requests only), counted in the server's .eml folder after the step.</summary>
    public int ResetMessages { get; set; }

    /// <summary>Messages found addressed to an unknown address: must stay 0.</summary>
    public int UnknownAddressMessages { get; set; }

    /// <summary>How long after the last timed request every expected message was there, or null when they were not all there in time.</summary>
    public TimeSpan? MessagesWritten { get; set; }
}

/// <summary>Everything one suite run measured, for the report.</summary>
internal sealed class SuiteResults
{
    public List<Measurement> Measurements { get; } = [];

    public List<HashRate> HashRates { get; } = [];

    /// <summary>The sign-in runs' steps, beside their whole-sign-in figures in <see cref="Measurements"/>.</summary>
    public List<SignInDetail> SignIns { get; } = [];

    /// <summary>How the sign-in step was set up (users, pool size), for its section of the report; empty when it did not run.</summary>
    public List<string> SignInNotes { get; } = [];

    public List<StartupTime> Startups { get; } = [];

    /// <summary>The failed-login timing step, or null when it did not run.</summary>
    public LoginTimingResults? LoginTiming { get; set; }

    /// <summary>The forgot timing step (known against unknown address), or null when it did not run.</summary>
    public ForgotTimingResults? ForgotTiming { get; set; }

    /// <summary>The import step (raw insert ceiling, users/s, sign-ins of imported users), or null when it did not run.</summary>
    public ImportResults? Import { get; set; }

    /// <summary>Working set figures in bytes, by what was happening.</summary>
    public List<(string What, long Bytes)> Memory { get; } = [];

    /// <summary>What the suite checked before measuring, and other facts worth a line in the report.</summary>
    public List<string> Notes { get; } = [];

    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    public DateTimeOffset Finished { get; set; }

    public string LoadAtStart { get; set; } = string.Empty;

    public string LoadAtEnd { get; set; } = string.Empty;
}
