using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace FuncAuth.LoadRunner;

/// <summary>
/// The macro benchmark: Azurite, then for each algorithm the Server host and a JwtBearer API on loopback, wrk
/// against every target at every connection count, several runs interleaved so drift hits all targets alike.
/// </summary>
internal sealed class Suite(Settings settings, string workFolder) : IAsyncDisposable
{
    private static readonly TimeSpan VerifyTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(120);

    // Tokens live FuncAuth's default 15 minutes; the suite logs in again well before that.
    private static readonly TimeSpan TokenRefresh = TimeSpan.FromMinutes(5);

    private readonly string _script = Path.Combine(settings.RepositoryRoot, "bench", "wrk", "bench.lua");

    // The servers' local data folder (FuncAuth:LocalDataPath): in Development with no SMTP, they write each message as
    // an .eml file in its "mail" folder (FuncAuth's PickupFolderTransport.FolderName).
    private readonly string _serverData = Path.Combine(workFolder, "server-data");
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<ChildProcess> _running = [];
    private Azurite? _azurite;
    private int _step;

    public SuiteResults Results { get; } = new();

    public string AzuriteVersion => _azurite?.Version ?? "unknown";

    private Azurite Storage => _azurite ?? throw new InvalidOperationException("Azurite is not running.");

    public async Task RunAsync()
    {
        Results.LoadAtStart = MachineInfo.LoadAverage();
        _azurite = await Azurite.StartAsync(settings.RepositoryRoot, workFolder);
        Log($"Azurite {_azurite.Version} (Table service, in memory) on 127.0.0.1:{_azurite.Port}");

        var hs256 = BenchKey.Hs256();
        var es256 = BenchKey.Es256();
        if (settings.ImportOnly)
        {
            await RunImportPhaseAsync(es256);
            Results.LoadAtEnd = MachineInfo.LoadAverage();
            Results.Finished = DateTimeOffset.UtcNow;
            return;
        }

        await RunVerifyPhaseAsync(hs256, login: false);
        var es256Port = await RunVerifyPhaseAsync(es256, login: true);
        if (settings.Revocations > 0)
        {
            await RunRevocationPhaseAsync(es256, es256Port);
        }
        else
        {
            Results.Notes.Add("The 100,000-revocation step was skipped (BENCH_REVOCATIONS=0).");
        }

        if (settings.ImportUsers > 0)
        {
            await RunImportPhaseAsync(es256);
        }
        else
        {
            Results.Notes.Add("The import step was skipped (BENCH_IMPORT_USERS=0).");
        }

        Results.LoadAtEnd = MachineInfo.LoadAverage();
        Results.Finished = DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// The import step: Azurite's raw insert ceiling, then the users imported by an administrator of a server started with
    /// <c>FuncAuth:Admin:BootstrapUsernames</c> naming it (registered, then the server restarted: the bootstrap gives the
    /// role at start-up), then sign-ins of imported and registered users.
    /// </summary>
    private async Task RunImportPhaseAsync(BenchKey key)
    {
        var import = new ImportResults();
        Results.Import = import;
        var runId = Guid.NewGuid().ToString("N")[..8];
        var admin = $"bench-admin-{runId}";
        var bootstrap = new Dictionary<string, string?> { ["FuncAuth__Admin__BootstrapUsernames__0"] = admin };
        try
        {
            Log($"import: measuring Azurite's raw insert rate ({string.Join(", ", ImportStep.RawInFlight)} in flight)");
            await ImportStep.RawCeilingAsync(Storage.ConnectionString, Math.Min(settings.ImportUsers, 10_000), import, Log);

            var port = Ports.Free();
            var url = Apps.Url(port);
            var server = await StartServerAsync(key, port, bootstrap);
            await Apps.RegisterAsync(_http, url, admin);
            await server.DisposeAsync();
            server = await StartServerAsync(key, port, bootstrap);
            var token = await Apps.LoginAsync(_http, url, admin);

            var users = new ImportUsers($"imp-{runId}", settings.ImportUsers);
            Log($"import: {users.Count:N0} users, hash kinds 1:1:1:1, every other address confirmed");
            await server.WaitUntilQuietAsync(QuietLimit);
            await ImportStep.ImportAsync(url, token, users, Storage.TakeRequestCountAsync, import, Log);
            Results.Memory.Add(($"Server ({key.Algorithm}) after importing {users.Count:N0} users, VmHWM (peak since start)", server.PeakResidentBytes() ?? 0));

            await server.WaitUntilQuietAsync(QuietLimit);
            await ImportStep.SignInsAsync(_http, url, users, Settings.ImportSignInSamples, import, Log);
            await server.DisposeAsync();
        }
        catch (InvalidOperationException e)
        {
            import.Error = e.Message;
            Log($"import ABORTED: {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _running)
        {
            await process.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _http.Dispose();
    }

    /// <summary>One algorithm: bare, verify and JwtBearer at every connection count; login too when asked; then start-up times.</summary>
    private async Task<int> RunVerifyPhaseAsync(BenchKey key, bool login)
    {
        var port = Ports.Free();
        var server = await StartServerAsync(key, port);
        var url = Apps.Url(port);
        var username = $"bench-{key.Algorithm.ToLowerInvariant()}-{Guid.NewGuid():N}";
        await Apps.RegisterAsync(_http, url, username);
        var token = new TokenSource(_http, url, username);
        await CheckRevocationAsync(url, token, key.Algorithm);

        var apiPort = Ports.Free();
        var api = Track(Apps.StartJwtBearerApi(settings.RepositoryRoot, key, Apps.KeyIdOf(await token.GetAsync()), apiPort, port));
        var apiUrl = Apps.Url(apiPort);
        await Apps.WaitForAsync(api, _http, $"{apiUrl}/protected", HttpStatusCode.OK, await token.GetAsync());
        if (await Apps.StatusAsync(_http, $"{apiUrl}/protected") != HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException("The JwtBearer API answered a request without a token with something other than 401.");
        }

        var bare = new Target(TargetKind.Bare, key.Algorithm);
        var verify = new Target(TargetKind.Verify, key.Algorithm);
        var jwtBearer = new Target(TargetKind.JwtBearer, key.Algorithm);
        var targets = new (Target Target, ChildProcess Process, Func<string, WrkRequest> Request)[]
        {
            (bare, server, _ => new WrkRequest($"{url}/bench/bare")),
            (verify, server, t => new WrkRequest($"{url}/api/auth/verify", Authorization: $"Bearer {t}")),
            (jwtBearer, api, t => new WrkRequest($"{apiUrl}/protected", Authorization: $"Bearer {t}")),
        };

        Log($"{key.Algorithm}: warming up every target for {settings.Warmup}");
        foreach (var (_, process, request) in targets)
        {
            await Wrk.RunAsync(_script, request(await token.GetAsync()), 16, settings.WarmupTime, VerifyTimeout);
            await process.WaitUntilQuietAsync(QuietLimit);
        }

        foreach (var connections in settings.Connections)
        {
            for (var run = 1; run <= settings.Runs; run++)
            {
                var current = await token.GetAsync();
                foreach (var (target, process, request) in targets)
                {
                    Results.Measurements.Add(await MeasureAsync(target, process, request(current), connections, run, VerifyTimeout));
                }
            }
        }

        await api.DisposeAsync();
        if (login)
        {
            await RunLoginAsync(server, url, username, key.Algorithm);
            await RunLoginTimingAsync(server, url);
            await RunForgotTimingAsync(server, url);
            await RunSignInsAsync(server, url, port);
        }

        Results.Memory.Add(($"Server ({key.Algorithm}) after the phase, VmHWM (peak since start)", server.PeakResidentBytes() ?? 0));
        var startToken = await token.GetAsync(force: true);
        await server.DisposeAsync();
        await MeasureStartupsAsync(key, port, startToken, revocations: 0);
        return port;
    }

    /// <summary>login at every connection count (and at 2), next to the raw PBKDF2 rate at 1 and 2 threads.</summary>
    private async Task RunLoginAsync(ChildProcess server, string url, string username, string algorithm)
    {
        var target = new Target(TargetKind.Login, algorithm);
        var request = new WrkRequest($"{url}/api/auth/login", "POST", ContentType: "application/json", Body: Apps.LoginBody(username));
        var connectionCounts = settings.Connections.Union(Settings.LoginGoalConnections).Order().ToArray();
        Log($"login: warming up for {settings.Warmup}");
        await Wrk.RunAsync(_script, request, 2, settings.WarmupTime, LoginTimeout);
        foreach (var connections in connectionCounts)
        {
            for (var run = 1; run <= settings.Runs; run++)
            {
                Results.Measurements.Add(await MeasureAsync(target, server, request, connections, run, LoginTimeout));
                if (Settings.LoginGoalConnections.Contains(connections))
                {
                    await server.WaitUntilQuietAsync(QuietLimit);
                    var rate = await Pbkdf2.MeasureAsync(connections, settings.DurationTime);
                    Results.HashRates.Add(new HashRate(connections, run, rate));
                    Log(string.Create(CultureInfo.InvariantCulture, $"[{++_step}] PBKDF2 {Settings.PasswordIterations:N0} iterations, {connections} thread(s), run {run}: {rate:F2} hashes/s"));
                }
            }
        }

        await server.WaitUntilQuietAsync(QuietLimit);
    }

    /// <summary>Sequential failed logins of three kinds on one connection: does the time tell which kind it was?</summary>
    private async Task RunLoginTimingAsync(ChildProcess server, string url)
    {
        if (settings.TimingSamples == 0)
        {
            Results.Notes.Add("The login timing step was skipped (BENCH_TIMING_SAMPLES=0).");
            return;
        }

        await server.WaitUntilQuietAsync(QuietLimit);
        var timing = new LoginTimingResults();
        Results.LoginTiming = timing;
        Log($"login timing: {settings.TimingSamples} sequential failed logins of each kind on one connection");
        try
        {
            await LoginTimingStep.RunAsync(_http, url, settings.TimingSamples, timing, Log);
        }
        catch (LoginTimingException e)
        {
            timing.Error = e.Message;
            Log($"login timing ABORTED: {e.Message}");
        }

        await server.WaitUntilQuietAsync(QuietLimit);
    }

    /// <summary>Sequential forgot requests for known and unknown addresses on one connection: does the time tell which it was?</summary>
    private async Task RunForgotTimingAsync(ChildProcess server, string url)
    {
        if (settings.TimingSamples == 0)
        {
            Results.Notes.Add("The forgot timing step was skipped (BENCH_TIMING_SAMPLES=0).");
            return;
        }

        await server.WaitUntilQuietAsync(QuietLimit);
        var timing = new ForgotTimingResults();
        Results.ForgotTiming = timing;
        Log($"forgot timing: {settings.TimingSamples} sequential forgot requests for known and for unknown addresses on one connection");
        try
        {
            await ForgotTimingStep.RunAsync(
                _http, url, settings.TimingSamples, Path.Combine(_serverData, "mail"), () => server.WaitUntilQuietAsync(QuietLimit), timing, Log);
        }
        catch (ForgotTimingException e)
        {
            timing.Error = e.Message;
            Log($"forgot timing ABORTED: {e.Message}");
        }

        await server.WaitUntilQuietAsync(QuietLimit);
    }

    /// <summary>100,000 live revocations in the table; then start-up, and verify at 64 connections with them loaded.</summary>
    private async Task RunRevocationPhaseAsync(BenchKey key, int port)
    {
        var inserted = Stopwatch.StartNew();
        await Revocations.InsertAsync(Storage.ConnectionString, settings.Revocations);
        Results.Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{settings.Revocations:N0} live revocations (expiring 10–15 minutes after insertion) were inserted in {inserted.Elapsed.TotalSeconds:F1} s, in batches of 100 per expiry-hour partition."));
        Log($"Inserted {settings.Revocations:N0} revocations in {inserted.Elapsed.TotalSeconds:F1} s");

        var server = await StartServerAsync(key, port);
        var url = Apps.Url(port);
        var username = $"bench-revocations-{Guid.NewGuid():N}";
        await Apps.RegisterAsync(_http, url, username);
        var token = new TokenSource(_http, url, username);
        await CheckRevocationAsync(url, token, $"{key.Algorithm} with {settings.Revocations:N0} revocations");
        var startToken = await token.GetAsync();
        await server.DisposeAsync();
        await MeasureStartupsAsync(key, port, startToken, settings.Revocations);

        server = await StartServerAsync(key, port);
        await Apps.WaitForAsync(server, _http, $"{url}/api/auth/verify", HttpStatusCode.OK, await token.GetAsync());
        Results.Memory.Add(($"Server ({key.Algorithm}) started with {settings.Revocations:N0} revocations loaded, idle, VmRSS", server.ResidentBytes() ?? 0));
        var target = new Target(TargetKind.Verify, key.Algorithm, settings.Revocations);
        WrkRequest Request(string t) => new($"{url}/api/auth/verify", Authorization: $"Bearer {t}");
        await Wrk.RunAsync(_script, Request(await token.GetAsync()), 16, settings.WarmupTime, VerifyTimeout);
        var connections = settings.Connections.Contains(64) ? 64 : settings.Connections.Max();
        for (var run = 1; run <= settings.Runs; run++)
        {
            Results.Measurements.Add(await MeasureAsync(target, server, Request(await token.GetAsync()), connections, run, VerifyTimeout));
        }

        await server.DisposeAsync();
    }

    private async Task<ChildProcess> StartServerAsync(BenchKey key, int port, IReadOnlyDictionary<string, string?>? more = null)
    {
        var server = Track(Apps.StartServer(settings.RepositoryRoot, key, port, Storage.ConnectionString, _serverData, more));
        await Apps.WaitForAsync(server, _http, $"{Apps.Url(port)}/api/health");
        return server;
    }

    /// <summary>The figure must include a real revocation check: a logged-out token is refused, a live one accepted.</summary>
    private async Task CheckRevocationAsync(string url, TokenSource tokens, string what)
    {
        var loggedOut = await tokens.GetAsync(force: true);
        await Apps.LogoutAsync(_http, url, loggedOut);
        var live = await tokens.GetAsync(force: true);

        // A fresh instance answers 503 until it has read the revocation list (with many revocations, a while).
        var loading = Stopwatch.StartNew();
        while (await Apps.StatusAsync(_http, $"{url}/api/auth/verify", live) == HttpStatusCode.ServiceUnavailable && loading.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(100);
        }

        var refused = await Apps.StatusAsync(_http, $"{url}/api/auth/verify", loggedOut);
        var accepted = await Apps.StatusAsync(_http, $"{url}/api/auth/verify", live);
        if (refused != HttpStatusCode.Unauthorized || accepted != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"verify ({what}) answered {refused} for a logged-out token and {accepted} for a live one: not what is to be measured.");
        }

        Results.Notes.Add($"Checked before measuring ({what}): verify answered 401 for a logged-out token and 200 for a live one.");
    }

    /// <summary>Server process start to the first 200 from verify, with Azurite running and the user and key in place.</summary>
    private async Task MeasureStartupsAsync(BenchKey key, int port, string token, int revocations)
    {
        var verifyUrl = $"{Apps.Url(port)}/api/auth/verify";
        for (var run = 1; run <= Math.Max(3, settings.Runs); run++)
        {
            var elapsed = Stopwatch.StartNew();
            await using var server = Apps.StartServer(settings.RepositoryRoot, key, port, Storage.ConnectionString, _serverData);
            await Apps.WaitForAsync(server, _http, verifyUrl, HttpStatusCode.OK, token);
            elapsed.Stop();
            Results.Startups.Add(new StartupTime(key.Algorithm, revocations, run, elapsed.Elapsed));
            Log(string.Create(CultureInfo.InvariantCulture, $"[{++_step}] start to first verify, {key.Algorithm}, {revocations:N0} revocations, run {run}: {elapsed.Elapsed.TotalMilliseconds:F0} ms"));
        }
    }

    /// <summary>
    /// Password, TOTP and passkey sign-ins by the suite's own client (<see cref="SignInLoad"/>), runs interleaved so drift
    /// hits the three alike, at <see cref="Settings.SignInConnections"/>. TOTP users are enrolled first, enough that none
    /// has to sign in twice in one 30-second step (FuncAuth refuses a code's step the second time).
    /// </summary>
    private async Task RunSignInsAsync(ChildProcess server, string url, int port)
    {
        var connectionCounts = settings.SignInConnections;
        var most = connectionCounts.Max();

        // The TOTP sign-in starts with a password check, so it is no faster than login: the pool covers the measured
        // login rate for every second TOTP sign-ins run within one time step, half again over, plus one user per connection.
        // A run of a second or two counts logins coarsely, so the raw PBKDF2 rate (login's ceiling) counts too.
        var loginRate = Stats.Figures(Results).Where(f => f.Target.Kind == TargetKind.Login).Select(f => f.RequestsPerSecond)
            .Concat(Results.HashRates.Select(h => h.PerSecond)).DefaultIfEmpty(10).Max();
        var totpSeconds = settings.WarmupTime.TotalSeconds + (settings.Runs * connectionCounts.Count * settings.DurationTime.TotalSeconds);
        var totpUsers = most + (int)Math.Ceiling(loginRate * Math.Min(TotpSignInWay.StepSeconds, totpSeconds) * 1.5);

        await server.WaitUntilQuietAsync(QuietLimit);
        Log($"sign-ins: enrolling {totpUsers} TOTP users and registering {most} passkey users");
        var setup = Stopwatch.StartNew();
        SignInWay[] ways;
        try
        {
            var username = $"bench-signin-{Guid.NewGuid():N}";
            await Apps.RegisterAsync(_http, url, username);
            var totp = await TotpSignInWay.SetUpAsync(_http, url, totpUsers, parallel: 2);
            var passkey = await PasskeySignInWay.SetUpAsync(_http, url, Apps.PasskeyOrigin(port), most);
            ways = [new PasswordSignInWay(username), totp, passkey];
        }
        catch (InvalidOperationException e)
        {
            // A server without TOTP or passkeys (or with a changed contract): the rest of the suite still stands.
            Results.SignInNotes.Add($"**Aborted** while setting up users: {e.Message}");
            Log($"sign-ins ABORTED: {e.Message}");
            return;
        }

        Log(string.Create(CultureInfo.InvariantCulture, $"sign-ins: set up in {setup.Elapsed.TotalSeconds:F1} s"));

        // Confirming an enrolment spends its time step: the users just enrolled can sign in from the next one.
        var nextStep = TimeSpan.FromSeconds(TotpSignInWay.StepSeconds - (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 % TotpSignInWay.StepSeconds));
        Log(string.Create(CultureInfo.InvariantCulture, $"sign-ins: waiting {nextStep.TotalSeconds:F1} s for the next TOTP time step (enrolment used this one)"));
        await Task.Delay(nextStep + TimeSpan.FromMilliseconds(50));
        Results.SignInNotes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{totpUsers} TOTP users (the measured login or raw PBKDF2 rate, whichever is higher, {loginRate:F1}/s, over min(30 s, {totpSeconds:F0} s of TOTP runs) × 1.5, plus {most}), enrolled through the API beforehand, and {most} passkey users, one per connection: set up in {setup.Elapsed.TotalSeconds:F0} s."));

        foreach (var way in ways)
        {
            Log($"{Target(way).Name}: warming up for {settings.Warmup}");
            var warm = await SignInLoad.RunAsync(way, url, Math.Min(2, most), settings.WarmupTime, LoginTimeout);
            if (warm.FirstError is not null)
            {
                Log($"{Target(way).Name}, warm-up: {warm.FirstError}");
            }
        }

        foreach (var connections in connectionCounts)
        {
            for (var run = 1; run <= settings.Runs; run++)
            {
                foreach (var way in ways)
                {
                    SignInRun? signIns = null;
                    var target = Target(way);
                    Results.Measurements.Add(await MeasureAsync(target, server, connections, run, async () =>
                    {
                        signIns = await SignInLoad.RunAsync(way, url, connections, settings.DurationTime, LoginTimeout);
                        return signIns.Whole;
                    }, () => string.Create(CultureInfo.InvariantCulture,
                        $"{(signIns!.Whole.Requests == 0 ? string.Empty : $"; steps {string.Join(", ", signIns.Steps.Select(s => $"{s.Name} p50 {s.P50:F2} ms"))}")}{(signIns.Stalls > 0 ? $", {signIns.Stalls} stalls" : string.Empty)}{(signIns.FirstError is null ? string.Empty : $"; first error: {signIns.FirstError}")}")));
                    Results.SignIns.Add(new SignInDetail(target, connections, run, signIns!));
                }
            }
        }

        await server.WaitUntilQuietAsync(QuietLimit);

        static Target Target(SignInWay way) => new(way.Kind, "ES256");
    }

    private Task<Measurement> MeasureAsync(Target target, ChildProcess process, WrkRequest request, int connections, int run, TimeSpan timeout) =>
        MeasureAsync(target, process, connections, run, () => Wrk.RunAsync(_script, request, connections, settings.DurationTime, timeout));

    /// <summary>One run of <paramref name="load"/> (wrk, or the suite's sign-in client), with the storage requests and peak working set around it.</summary>
    private async Task<Measurement> MeasureAsync(Target target, ChildProcess process, int connections, int run, Func<Task<WrkResult>> load, Func<string>? remark = null)
    {
        await process.WaitUntilQuietAsync(QuietLimit);
        await Storage.TakeRequestCountAsync(); // whatever came before this run is not this run's
        var window = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakResidentBytesAsync(process, sampling.Token);
        var result = await load();
        await sampling.CancelAsync();
        var peakBytes = await peak;
        var storage = await Storage.TakeRequestCountAsync();
        window.Stop();
        var perThousand = result.Requests > 0 ? storage * 1000.0 / result.Requests : 0;
        Log(string.Create(CultureInfo.InvariantCulture,
            $"[{++_step}] {target.Name}, {connections} conn, run {run}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50 / 1000:F2} ms, p99 {result.P99 / 1000:F2} ms, " +
            $"storage {storage} ({perThousand:F1} per 1,000){(result.Errors > 0 ? $", {result.Errors} ERRORS" : string.Empty)}{remark?.Invoke() ?? string.Empty}"));
        return new Measurement(target, connections, run, result, storage, window.Elapsed, peakBytes);
    }

    private static async Task<long?> SamplePeakResidentBytesAsync(ChildProcess process, CancellationToken stop)
    {
        long? peak = null;
        while (true)
        {
            var now = process.ResidentBytes();
            if (now > (peak ?? 0))
            {
                peak = now;
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return peak;
            }
        }
    }

    private ChildProcess Track(ChildProcess process)
    {
        _running.Add(process);
        return process;
    }

    private static void Log(string message) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss} {message}"));

    /// <summary>A user's current access token, logged in again before it gets old.</summary>
    private sealed class TokenSource(HttpClient http, string url, string username)
    {
        private string? _token;
        private long _issued;

        public async Task<string> GetAsync(bool force = false)
        {
            if (force || _token is null || Stopwatch.GetElapsedTime(_issued) > TokenRefresh)
            {
                _token = await Apps.LoginAsync(http, url, username);
                _issued = Stopwatch.GetTimestamp();
            }

            return _token;
        }
    }
}
