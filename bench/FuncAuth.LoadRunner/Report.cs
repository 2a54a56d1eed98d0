using System.Globalization;
using System.Text;

namespace FuncAuth.LoadRunner;

/// <summary>The Markdown report: the machine, every figure and ratio, and each goal with what was measured.</summary>
internal static class Report
{
    private const int GoalConnections = 64;

    public static string Write(Settings settings, MachineInfo machine, SuiteResults results, string chartFile)
    {
        var figures = Stats.Figures(results);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"# FuncAuth benchmark, {results.Started:yyyy-MM-dd} on {machine.Host}");
        Line();
        if (settings.IsSmoke)
        {
            Line(Invariant($"> **Smoke run, not a result.** {settings.Duration} per run on a {machine.Cores}-core machine that other engineers' test suites were loading at the same time (load average {results.LoadAtStart} at the start, {results.LoadAtEnd} at the end). It shows the suite works and what its report looks like; the figures are noise-bound and say nothing about FuncAuth's performance. The real report comes from `bench/run` on a quiet machine."));
            Line();
        }
        if (settings.Runs < 3)
        {
            Line(Invariant($"> **{settings.Runs} run(s) per figure**: fewer than the 3 the suite's figures are meant to be medians of."));
            Line();
        }

        if (!settings.IsSmoke && settings.Label is not null)
        {
            Line($"> Label: {settings.Label}.");
            Line();
        }

        Line("| | |");
        Line("| --- | --- |");
        Line($"| Date (UTC) | {results.Started:yyyy-MM-dd HH:mm} to {results.Finished:HH:mm} |");
        Line($"| Machine | {machine.Host}: {machine.Cores} cores, {machine.Cpu}, {machine.Memory} |");
        Line($"| OS | {machine.OperatingSystem}, Linux {machine.Kernel} |");
        Line($"| .NET | {machine.DotNetRuntime} (SDK {machine.DotNetSdk}), Release builds |");
        Line($"| Azurite | {machine.Azurite} (Table service, in memory, loopback, `--debug` log for counting) |");
        Line($"| Load generator | {machine.LoadGenerator}, threads = min(connections, 2), on the same machine |");
        Line($"| Commit | {machine.Commit} |");
        Line($"| Load average | {results.LoadAtStart} at the start, {results.LoadAtEnd} at the end |");
        Line(Invariant($"| Runs | {settings.Duration} each (after a {settings.Warmup} warm-up per target), {settings.Runs} per figure, interleaved; figures are medians |"));
        Line();
        Line($"![Throughput and p99 latency against connections]({chartFile})");
        Line();

        WriteGoals(Line, figures, results);
        WriteThroughput(Line, figures);
        WriteStorage(Line, figures);
        WriteLogin(Line, figures, results);
        WriteSignIns(Line, settings, figures, results);
        ImportReport.WriteSection(Line, results.Import);
        WriteLoginTiming(Line, settings, results.LoginTiming);
        WriteForgotTiming(Line, settings, results.ForgotTiming);
        WriteStartup(Line, results);
        WriteMemory(Line, figures, results);

        Line("## How it was measured");
        Line();
        Line("- Everything runs on loopback on this one machine: wrk shares the cores with the server, the JwtBearer API and Azurite. wrk is closed-loop (each connection sends its next request when the last is answered), so latencies are not corrected for coordinated omission.");
        Line("- **verify**: `GET api/auth/verify` with a valid token on the Server host (`src/FuncAuth.Server`, Release, `ASPNETCORE_ENVIRONMENT=Development` only because FuncAuth refuses Azurite's development account in any other environment, logging at Warning, the real password cost, FuncAuth's defaults otherwise: 15-minute tokens, the suite logging in again every 5 minutes), its storage the Azurite above. Before measuring, the suite checks that verify refuses a logged-out token, so the figures include a real revocation check.");
        Line("- **bare 200**: `GET bench/bare` on the same Server process, mapped only when `FuncAuth:Benchmark:BareEndpoint` is true: the same Kestrel, middleware and routing table answering 200 with no body, so it is the ceiling of this HTTP stack here. Each algorithm's server has its own bare figure, taken in the same runs as its verify figure.");
        Line("- **JwtBearer API**: `bench/FuncAuth.JwtBearerApi`, a separate minimal ASP.NET Core app (Release, Production, logging at Warning) whose `GET /protected` is protected by `Microsoft.AspNetCore.Authentication.JwtBearer` validating the very same token in-process, with no revocation check. ES256: `Authority` = FuncAuth's issuer, keys found through discovery, as the README's snippet. HS256: FuncAuth publishes no symmetric keys, so the API is given the shared secret and kid.");
        Line(Invariant($"- **login**: `POST api/auth/login` (JSON) for one user at PBKDF2-HMAC-SHA256 {Settings.PasswordIterations:N0} iterations; the raw rate is `Rfc2898DeriveBytes.Pbkdf2` at the same cost on 1 and 2 threads in the suite's own process, taken right after the login run it is compared with. The suite waits for the server to go idle after each run, so hashes left over from closed connections are not counted against the next run."));
        Line("- **Storage requests**: Azurite writes one line containing `TableStorageContextMiddleware: RequestMethod=` per request to its `--debug` log; the suite counts the lines added from just before a run until the log stops growing after it (so a little time after the run is included, never less).");
        Line("- **Start to first verify**: from starting `dotnet FuncAuth.Server.dll` (built, Azurite running, user and key in place) to the first 200 from verify, polled every 5 ms; the median of the runs.");
        Line("- **Working set**: VmRSS from `/proc/<pid>/status`, sampled every 200 ms during the runs.");
        foreach (var note in results.Notes)
        {
            Line($"- {note}");
        }

        return text.ToString();
    }

    private static void WriteGoals(Action<string> line, IReadOnlyList<Figure> figures, SuiteResults results)
    {
        line("## Goals");
        line("");
        line("| Goal | Measured | Ratio | Verdict |");
        line("| --- | --- | --- | --- |");
        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var verify = Find(figures, TargetKind.Verify, algorithm, GoalConnections);
            var bare = Find(figures, TargetKind.Bare, algorithm, GoalConnections);
            line(verify is null || bare is null
                ? $"| verify {algorithm} ≥ 0.85× bare at {GoalConnections} connections | not measured | | not measured |"
                : Invariant($"| verify {algorithm} ≥ 0.85× bare at {GoalConnections} connections | {verify.RequestsPerSecond:N0} vs {bare.RequestsPerSecond:N0} req/s | {verify.RequestsPerSecond / bare.RequestsPerSecond:F2}× | {Verdict(verify.RequestsPerSecond / bare.RequestsPerSecond >= 0.85, verify)} |"));
        }

        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var verify = Find(figures, TargetKind.Verify, algorithm, GoalConnections);
            line(verify is null
                ? $"| verify {algorithm} p99 ≤ 5 ms at {GoalConnections} connections | not measured | | not measured |"
                : Invariant($"| verify {algorithm} p99 ≤ 5 ms at {GoalConnections} connections | {verify.P99Milliseconds:F2} ms | {verify.P99Milliseconds / 5:F2}× the limit | {Verdict(verify.P99Milliseconds <= 5, verify)} |"));
        }

        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var verify = Find(figures, TargetKind.Verify, algorithm, GoalConnections);
            var jwt = Find(figures, TargetKind.JwtBearer, algorithm, GoalConnections);
            line(verify is null || jwt is null
                ? $"| verify {algorithm} ≥ 1.5× the JwtBearer API (no revocation), {GoalConnections} connections | not measured | | not measured |"
                : Invariant($"| verify {algorithm} ≥ 1.5× the JwtBearer API (no revocation), {GoalConnections} connections | {verify.RequestsPerSecond:N0} vs {jwt.RequestsPerSecond:N0} req/s | {verify.RequestsPerSecond / jwt.RequestsPerSecond:F2}× | {Verdict(verify.RequestsPerSecond / jwt.RequestsPerSecond >= 1.5, verify, jwt)} |"));
        }

        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var verify = Find(figures, TargetKind.Verify, algorithm, GoalConnections);
            line(verify is null
                ? $"| storage requests ≤ 1 per 1,000 verifies ({algorithm}, {GoalConnections} connections) | not measured | | not measured |"
                : Invariant($"| storage requests ≤ 1 per 1,000 verifies ({algorithm}, {GoalConnections} connections, worst run) | {verify.WorstStoragePerThousand:F2} per 1,000 ({verify.MedianStoragePerSecond:N1}/s) | {verify.WorstStoragePerThousand:F2}× the limit | {Verdict(verify.WorstStoragePerThousand <= 1, verify)} |"));
        }

        foreach (var connections in Settings.LoginGoalConnections)
        {
            var login = figures.FirstOrDefault(f => f.Target.Kind == TargetKind.Login && f.Connections == connections);
            var hashes = Stats.Median(results.HashRates.Where(h => h.Threads == connections).Select(h => h.PerSecond));
            line(login is null || double.IsNaN(hashes)
                ? $"| login ≥ 0.9× raw PBKDF2, {Plural(connections, "connection")} | not measured | | not measured |"
                : Invariant($"| login ≥ 0.9× raw PBKDF2 at the same cost, {Plural(connections, "connection")} vs {Plural(connections, "thread")} | {login.RequestsPerSecond:F2} logins/s vs {hashes:F2} hashes/s | {login.RequestsPerSecond / hashes:F2}× | {Verdict(login.RequestsPerSecond / hashes >= 0.9, login)} |"));
        }

        WriteTimingGoal(line, "failed-login medians within 10% of each other (unknown user, wrong password, locked account)", "Login timing", results.LoginTiming);
        WriteTimingGoal(line, "forgot medians within 10% of each other (an account's address, an unknown address)", "Forgot timing", results.ForgotTiming);

        foreach (var algorithm in new[] { "HS256", "ES256" })
        {
            var starts = results.Startups.Where(s => s.Algorithm == algorithm && s.Revocations == 0).Select(s => s.Elapsed.TotalMilliseconds).ToArray();
            var median = Stats.Median(starts);
            line(starts.Length == 0
                ? $"| start to first verify ≤ 1 s ({algorithm}) | not measured | | not measured |"
                : Invariant($"| start to first verify ≤ 1 s ({algorithm}, Azurite running) | {median:F0} ms | {median / 1000:F2}× the limit | {(median <= 1000 ? "met" : "**not met**")} |"));
        }

        var loaded = figures.Where(f => f.Target.Kind == TargetKind.Verify && f.Target.Revocations == 0 && f.Connections == GoalConnections && f.PeakResidentBytes is not null).ToArray();
        line(loaded.Length == 0
            ? "| working set under sustained verify load | not measured | | |"
            : $"| working set under sustained verify load ({GoalConnections} connections, peak VmRSS) | {string.Join(", ", loaded.Select(f => Invariant($"{f.Target.Algorithm} {Mebibytes(f.PeakResidentBytes!.Value)} MiB")))} | | reported |");
        var revoked = figures.FirstOrDefault(f => f.Target.Kind == TargetKind.Verify && f.Target.Revocations > 0);
        line(revoked?.PeakResidentBytes is null
            ? "| working set with 100,000 live revocations | not measured | | |"
            : Invariant($"| working set with {revoked.Target.Revocations:N0} live revocations, under verify load ({revoked.Connections} connections, peak VmRSS) | {Mebibytes(revoked.PeakResidentBytes.Value)} MiB ({revoked.RequestsPerSecond:N0} verifies/s, p99 {revoked.P99Milliseconds:F2} ms) | | reported |"));
        line("");
        line("A goal reads *met* only when the median figure meets it and none of its runs had errors; *not met* figures are as measured.");
        line("");
    }

    private static void WriteThroughput(Action<string> line, IReadOnlyList<Figure> figures)
    {
        line("## Throughput and latency");
        line("");
        line("| Target | Connections | req/s (median) | req/s of each run | p50 ms | p99 ms | × bare | × JwtBearer | storage req per 1,000 | errors |");
        line("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var figure in figures)
        {
            var (toBare, toJwt) = Ratios(figures, figure);
            line(Invariant($"| {figure.Target.Name} | {figure.Connections} | {Rate(figure.RequestsPerSecond)} | {string.Join(", ", figure.Runs.Select(r => Rate(r.Result.RequestsPerSecond)))} | {Milliseconds(figure.P50Milliseconds, figure)} | {Milliseconds(figure.P99Milliseconds, figure)} | {toBare} | {toJwt} | {figure.MedianStoragePerThousand:F2} | {figure.Errors} |"));
        }

        line("");
        line("× bare: against the bare endpoint of the same algorithm's server at the same connection count (for the revocation row, the ES256 server's). × JwtBearer: against the JwtBearer API validating the same token at the same connection count. Storage requests are counted over the run and divided by the requests completed in it: for login at many connections most requests are still in flight when a short run ends, so that figure overstates.");
        line("");
    }

    private static void WriteStorage(Action<string> line, IReadOnlyList<Figure> figures)
    {
        line("## Storage requests during verify");
        line("");
        line("| Target | Connections | Run | verifies | storage requests | per 1,000 verifies | per second |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var figure in figures.Where(f => f.Target.Kind == TargetKind.Verify))
        {
            foreach (var run in figure.Runs)
            {
                var perThousand = run.Result.Requests > 0 ? run.StorageRequests * 1000.0 / run.Result.Requests : 0;
                line(Invariant($"| {figure.Target.Name} | {figure.Connections} | {run.Run} | {run.Result.Requests:N0} | {run.StorageRequests:N0} | {perThousand:F2} | {run.StorageRequests / run.StorageWindow.TotalSeconds:N1} |"));
            }
        }

        line("");
    }

    private static void WriteLogin(Action<string> line, IReadOnlyList<Figure> figures, SuiteResults results)
    {
        line("## Login and the raw PBKDF2 rate");
        line("");
        line(Invariant($"| Connections | logins/s (median) | logins/s of each run | p99 ms | raw PBKDF2 hashes/s at {Settings.PasswordIterations:N0}, as many threads (median) | hashes/s of each run | login ÷ PBKDF2 |"));
        line("| ---: | ---: | --- | ---: | ---: | --- | ---: |");
        foreach (var login in figures.Where(f => f.Target.Kind == TargetKind.Login))
        {
            var hashes = results.HashRates.Where(h => h.Threads == login.Connections).ToArray();
            var median = Stats.Median(hashes.Select(h => h.PerSecond));
            line(Invariant($"| {login.Connections} | {login.RequestsPerSecond:F2} | {string.Join(", ", login.Runs.Select(r => r.Result.RequestsPerSecond.ToString("F2", CultureInfo.InvariantCulture)))} | {Milliseconds(login.P99Milliseconds, login)} | {(hashes.Length == 0 ? "—" : median.ToString("F2", CultureInfo.InvariantCulture))} | {string.Join(", ", hashes.Select(h => h.PerSecond.ToString("F2", CultureInfo.InvariantCulture)))} | {(hashes.Length == 0 ? "—" : (login.RequestsPerSecond / median).ToString("F2", CultureInfo.InvariantCulture) + "×")} |"));
        }

        line("");
    }

    private static void WriteSignIns(Action<string> line, Settings settings, IReadOnlyList<Figure> figures, SuiteResults results)
    {
        line("## Sign-in: password, TOTP and passkey");
        line("");
        var ways = figures.Where(f => f.Target.Kind is TargetKind.PasswordSignIn or TargetKind.TotpSignIn or TargetKind.PasskeySignIn)
            .OrderBy(f => f.Connections).ThenBy(f => f.Target.Kind).ToArray();
        if (ways.Length == 0)
        {
            line("Not measured.");
            foreach (var note in results.SignInNotes)
            {
                line($"- {note}");
            }

            line("");
            return;
        }

        line("| Way | Connections | sign-ins/s (median) | sign-ins/s of each run | p50 ms | p99 ms | × password sign-in | each step: p50 / p99 ms (median of runs) | storage req per sign-in | stalls | errors |");
        line("| --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (var figure in ways)
        {
            var details = results.SignIns.Where(d => d.Target == figure.Target && d.Connections == figure.Connections).Select(d => d.SignIns).ToArray();
            var measured = details.Where(d => d.Whole.Requests > 0).ToArray();
            var steps = measured.Length == 0 ? "—" : string.Join("; ", measured[0].Steps.Select((step, i) => Invariant(
                $"{step.Name} {Stats.Median(measured.Select(d => d.Steps[i].P50)):F2} / {Stats.Median(measured.Select(d => d.Steps[i].P99)):F2}")));
            var password = Find(figures, TargetKind.PasswordSignIn, figure.Target.Algorithm, figure.Connections);
            var toPassword = password is null || password.RequestsPerSecond <= 0 ? "—" : Invariant($"{figure.RequestsPerSecond / password.RequestsPerSecond:F2}");
            line(Invariant($"| {figure.Target.Name} | {figure.Connections} | {Rate(figure.RequestsPerSecond)} | {string.Join(", ", figure.Runs.Select(r => Rate(r.Result.RequestsPerSecond)))} | {Milliseconds(figure.P50Milliseconds, figure)} | {Milliseconds(figure.P99Milliseconds, figure)} | {toPassword} | {steps} | {figure.MedianStoragePerThousand / 1000:F1} | {details.Sum(d => d.Stalls)} | {figure.Errors} |"));
        }

        line("");
        line(Invariant($"Measured on the ES256 server after the timing steps, at {string.Join(", ", settings.SignInConnections)} connection(s) (1 and 2 always, and those of the suite's connection counts up to {Settings.MaxSignInConnections}: each connection needs a user of its own, and every way begins or ends with work that queues for the processors beyond that), the three ways' runs interleaved. wrk cannot drive these: each request needs something fresh from the one before (an mfa token and the current code, a challenge to sign), so the suite's own .NET client drives all three, password sign-in included, closed-loop as wrk is (each connection starts its next sign-in when the last one is answered; sign-ins in flight when a run ends are not counted), in the suite's process on the same cores. A sign-in's latency is from its first request sent to its last answer read; throughput counts whole sign-ins, each ending in tokens (200 with an access token)."));
        line("");
        line("- **password sign-in**: `POST api/auth/login` for one user, as the wrk login figures above but through this client: the reference the other two are compared with.");
        line(Invariant($"- **TOTP sign-in**: `POST api/auth/login` with the right password, answered {(int)TotpSignInWay.MfaRequiredStatus} `mfa_required` with an `mfa_token` (the password check, PBKDF2, is in this step), then `POST api/auth/login/mfa` with the token and the 6-digit code of the current 30-second step, computed with Otp.NET from the secret the enrolment answered. FuncAuth accepts a step's code once per user (replay), and a real server's clock cannot be faked, so each sign-in takes a different user: a pool of users enrolled through the API beforehand (register, login, `POST api/auth/mfa/totp`, confirm), least recently used first, none signed in twice in one step. A stall is a connection that found no user left for the current step and waited for the next (none expected: the pool is sized for it)."));
        line(Invariant($"- **passkey sign-in**: `POST api/auth/passkeys/login/options` (a stored single-use challenge), then `POST api/auth/passkeys/login` with the assertion the tests' software authenticator (`tests/FuncAuth.Tests/Passkeys/SoftwareAuthenticator.cs`, linked into the suite: ECDSA P-256, user verified, a signature counter rising by 1) signs for that challenge, as a browser at `http://{Apps.PasskeyRelyingPartyId}:<port>` would (the server's `FuncAuth:Passkeys:RelyingPartyId` is `{Apps.PasskeyRelyingPartyId}` and its one origin that). One user and passkey per connection, so each authenticator's counter rises sign-in after sign-in, as a real one's does; no password check anywhere."));
        foreach (var note in results.SignInNotes)
        {
            line($"- {note}");
        }

        foreach (var failed in results.SignIns.Where(d => d.SignIns.FirstError is not null).GroupBy(d => d.Target))
        {
            line($"- **{failed.Key.Name}** had errors; the first: {failed.First().SignIns.FirstError}");
        }

        line("");
    }

    private static void WriteLoginTiming(Action<string> line, Settings settings, LoginTimingResults? timing)
    {
        if (!WriteTimingTable(line, settings, "## Login timing: what a failed login tells", "Kind", timing))
        {
            return;
        }

        var pool = (settings.TimingSamples + LoginTimingStep.FailuresPerUser - 1) / LoginTimingStep.FailuresPerUser;
        line(Invariant($"Measured on the ES256 server after the login runs: {settings.TimingSamples} single `POST api/auth/login` requests of each kind, one after another on one HttpClient connection kept alive and warmed up first, interleaved round-robin (the first kind rotating each round) and each timed from sending to the whole answer read; an unknown user is a fresh random name each time, a wrong password goes to one of {pool} registered users at most {LoginTimingStep.FailuresPerUser} times each (so none locks), and the locked account was locked by {LoginTimingStep.LockAfter} wrong passwords (the suite's servers lock for {Apps.LockoutDuration.TotalMinutes:F0} minutes) and is asked with its right password; every answer was checked to be 401 with one and the same body."));
        if (timing.Relocks > 0 || timing.Reconnects > 0)
        {
            line("");
            line(Invariant($"While measuring, the locked account's lock had ended {timing.Relocks} time(s) (it was locked again and its 200 not counted), and the client opened {timing.Reconnects} new connection(s)."));
        }

        line("");
    }

    private static void WriteForgotTiming(Action<string> line, Settings settings, ForgotTimingResults? timing)
    {
        if (!WriteTimingTable(line, settings, "## Forgot timing: what a password-reset request tells", "Address", timing))
        {
            return;
        }

        line(Invariant($"Measured on the ES256 server right after the login timing step: {settings.TimingSamples} single `POST api/auth/password/forgot` requests (JSON `{{\"email\"}}`) of each kind, one after another on one HttpClient connection kept alive and warmed up first (one request of each kind, unrecorded), interleaved round-robin (the first kind alternating each round), {ForgotTimingStep.Pause.TotalMilliseconds:F0} ms apart, and each timed from sending to the whole answer read. Each known request names the address of an account of its own, registered with it beforehand, and each unknown request a fresh random address of the same shape and length: FuncAuth sends at most FuncAuth:Email:MaxMessagesPerAddressPerHour (5) messages per address and hour and does less for a request over that budget, so no address is asked for twice. Every answer was checked to be 202 with no body and the same headers (Date aside)."));
        line("");
        line("In the request, both kinds do the same work: the recipient's hourly count raised and one outbox row written, which wakes the server's background dispatcher; whether the address is an account's is decided only when the message is sent. The dispatcher then looks the address up and, for a known address, also mints a reset token (a table write) and writes the message; the server runs in Development with no SMTP relay, so that is an .eml file under its local data folder. For an unknown address it drops the message. That background work runs on the same cores; the pause between requests lets it mostly finish before the next request is timed, and the alternating order puts what is left before requests of both kinds alike (the known addresses' share of it is the larger).");
        if (timing.Kinds.Count > 0)
        {
            line("");
            line(timing.MessagesWritten is { } after
                ? Invariant($"Checked after the step: all {timing.ResetMessages} reset messages to the known addresses were in the server's .eml folder {after.TotalSeconds:F1} s after the last request, and {timing.UnknownAddressMessages} message(s) to an unknown address.")
                : Invariant($"Checked after the step: **only {timing.ResetMessages} of {settings.TimingSamples} reset messages** to the known addresses were in the server's .eml folder within a minute of the last request, and {timing.UnknownAddressMessages} message(s) to an unknown address."));
        }

        if (timing.Reconnects > 0)
        {
            line("");
            line(Invariant($"While measuring, the client opened {timing.Reconnects} new connection(s)."));
        }

        line("");
    }

    /// <summary>A timing step's row in the goals table.</summary>
    private static void WriteTimingGoal<TKind>(Action<string> line, string goal, string section, TimingResults<TKind>? timing)
        where TKind : struct, Enum
    {
        var spread = timing?.Spread ?? double.NaN;
        line(timing is null || double.IsNaN(spread)
            ? $"| {goal} | {(timing?.Error is null ? "not measured" : $"aborted (see {section})")} | | not measured |"
            : Invariant($"| {goal}, 1 connection, sequential | {string.Join(" / ", timing.Kinds.Select(k => k.Median.ToString("F1", CultureInfo.InvariantCulture)))} ms, spread {Percent(spread)} | {spread / TimingResults<TKind>.SpreadGoal:F2}× the limit | {(spread <= TimingResults<TKind>.SpreadGoal ? "met" : "**not met**")} |"));
    }

    /// <summary>
    /// A timing step's section up to its method: the heading, why it was not measured or was aborted, each kind's median
    /// and p90, and the spread against the goal. False when there is nothing more to say (not measured).
    /// </summary>
    private static bool WriteTimingTable<TKind>(Action<string> line, Settings settings, string heading, string kindColumn, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] TimingResults<TKind>? timing)
        where TKind : struct, Enum
    {
        line(heading);
        line("");
        if (timing is null)
        {
            line(settings.TimingSamples == 0 ? "Not measured: skipped (BENCH_TIMING_SAMPLES=0)." : "Not measured.");
            line("");
            return false;
        }

        if (timing.Error is not null)
        {
            line($"**Aborted**: {timing.Error}");
            line("");
        }

        if (timing.Kinds.Count > 0)
        {
            line($"| {kindColumn} | Samples | median ms | p90 ms |");
            line("| --- | ---: | ---: | ---: |");
            foreach (var kind in timing.Kinds)
            {
                line(Invariant($"| {kind.Name} | {kind.Milliseconds.Count} | {kind.Median:F1} | {kind.P90:F1} |"));
            }

            line("");
            var spread = timing.Spread;
            line(Invariant($"Spread of the medians, (largest − smallest) ÷ smallest: **{Percent(spread)}**; the goal is at most {TimingResults<TKind>.SpreadGoal * 100:F0}%: {(spread <= TimingResults<TKind>.SpreadGoal ? "met" : "**not met**")}."));
            line("");
        }

        return true;
    }

    private static void WriteStartup(Action<string> line, SuiteResults results)
    {
        line("## Start to first verify");
        line("");
        line("| Algorithm | Live revocations in the table | median ms | each run, ms |");
        line("| --- | ---: | ---: | --- |");
        foreach (var group in results.Startups.GroupBy(s => (s.Algorithm, s.Revocations)))
        {
            line(Invariant($"| {group.Key.Algorithm} | {group.Key.Revocations:N0} | {Stats.Median(group.Select(s => s.Elapsed.TotalMilliseconds)):F0} | {string.Join(", ", group.Select(s => s.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} |"));
        }

        line("");
    }

    private static void WriteMemory(Action<string> line, IReadOnlyList<Figure> figures, SuiteResults results)
    {
        line("## Working set");
        line("");
        line("| Process and moment | MiB |");
        line("| --- | ---: |");
        foreach (var figure in figures.Where(f => f.Target.Kind is TargetKind.Verify or TargetKind.JwtBearer && f.PeakResidentBytes is not null))
        {
            var process = figure.Target.Kind == TargetKind.Verify ? $"Server, {figure.Target.Name}" : figure.Target.Name;
            line(Invariant($"| {process}, {Plural(figure.Connections, "connection")}, peak VmRSS during the runs | {Mebibytes(figure.PeakResidentBytes!.Value)} |"));
        }

        foreach (var (what, bytes) in results.Memory)
        {
            line($"| {what} | {Mebibytes(bytes)} |");
        }

        line("");
    }

    private static (string ToBare, string ToJwtBearer) Ratios(IReadOnlyList<Figure> figures, Figure figure)
    {
        if (figure.Target.Kind is not (TargetKind.Verify or TargetKind.JwtBearer))
        {
            return ("—", "—");
        }

        var bare = Find(figures, TargetKind.Bare, figure.Target.Algorithm, figure.Connections);
        var jwt = Find(figures, TargetKind.JwtBearer, figure.Target.Algorithm, figure.Connections);
        var toBare = bare is null ? "—" : Invariant($"{figure.RequestsPerSecond / bare.RequestsPerSecond:F2}");
        var toJwt = figure.Target.Kind == TargetKind.Verify && jwt is not null ? Invariant($"{figure.RequestsPerSecond / jwt.RequestsPerSecond:F2}") : "—";
        return (toBare, toJwt);
    }

    private static Figure? Find(IReadOnlyList<Figure> figures, TargetKind kind, string algorithm, int connections) =>
        figures.FirstOrDefault(f => f.Target.Kind == kind && f.Target.Algorithm == algorithm && f.Target.Revocations == 0 && f.Connections == connections);

    private static string Verdict(bool met, params Figure[] figures) =>
        figures.Any(f => f.Errors > 0) ? "**not met** (runs had errors)" : met ? "met" : "**not met**";

    private static string Milliseconds(double value, Figure figure) =>
        figure.Requests == 0 || double.IsNaN(value) ? "—" : value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Rate(double perSecond) =>
        perSecond.ToString(perSecond < 100 ? "F2" : "N0", CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? string.Empty : "s")}");

    private static string Percent(double fraction) => (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Mebibytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
