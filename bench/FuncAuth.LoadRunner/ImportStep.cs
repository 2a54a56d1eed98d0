using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>What the import step measured, for its section of the report.</summary>
internal sealed class ImportResults
{
    /// <summary>Azurite's raw single-entity insert rate by inserts in flight: the storage ceiling.</summary>
    public List<(int InFlight, int Inserts, double PerSecond)> RawInserts { get; } = [];

    public int Users { get; set; }

    public TimeSpan Elapsed { get; set; }

    public long StorageRequests { get; set; }

    public Dictionary<string, int> Outcomes { get; } = [];

    /// <summary>Sign-in latencies in milliseconds by what signed in, in the order taken.</summary>
    public List<KindTiming> SignIns { get; } = [];

    public List<string> Notes { get; } = [];

    public string? Error { get; set; }

    public double UsersPerSecond => Users / Elapsed.TotalSeconds;

    public double CallsPerUser => Users == 0 ? 0 : (double)StorageRequests / Users;
}

/// <summary>
/// The import step: the raw insert ceiling of Azurite, then <c>POST api/admin/users/import</c> of generated users streamed to
/// the Server host by an administrator (made one by <c>FuncAuth:Admin:BootstrapUsernames</c>, as a deployment would), then
/// sequential sign-ins of imported and native users: the first verifies the foreign hash and rewrites it, the second
/// verifies FuncAuth's own.
/// </summary>
internal static class ImportStep
{
    public static readonly int[] RawInFlight = [32, 64, 128];

    public static async Task RawCeilingAsync(string storage, int inserts, ImportResults results, Action<string> log)
    {
        foreach (var inFlight in RawInFlight)
        {
            var rate = await RawInserts.MeasureAsync(storage, inserts, inFlight);
            results.RawInserts.Add((inFlight, inserts, rate));
            log(Invariant($"import: Azurite raw single-entity inserts, {inFlight} in flight: {rate:F0}/s ({inserts:N0} inserts)"));
        }
    }

    /// <summary>Imports the users as <paramref name="adminToken"/>; answers after the last result line is read.</summary>
    public static async Task ImportAsync(string url, string adminToken, ImportUsers users, Func<Task<long>> takeStorageRequests, ImportResults results, Action<string> log)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/admin/users/import") { Content = users.Content() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        await takeStorageRequests();
        var elapsed = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"import answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? firstProblem = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            using var result = JsonDocument.Parse(line);
            var outcome = result.RootElement.GetProperty("result").GetString() ?? "?";
            results.Outcomes[outcome] = results.Outcomes.GetValueOrDefault(outcome) + 1;
            if (outcome != "created" && firstProblem is null)
            {
                firstProblem = line;
            }
        }

        elapsed.Stop();
        results.Users = users.Count;
        results.Elapsed = elapsed.Elapsed;
        results.StorageRequests = await takeStorageRequests();
        log(Invariant($"import: {users.Count:N0} users in {elapsed.Elapsed.TotalSeconds:F1} s = {results.UsersPerSecond:F0} users/s; {results.StorageRequests:N0} storage requests ({results.CallsPerUser:F2} per user); outcomes {string.Join(", ", results.Outcomes.Select(o => $"{o.Key} {o.Value}"))}"));
        if (firstProblem is not null)
        {
            results.Notes.Add($"Not every line was created; the first other answer: `{firstProblem}`.");
        }
    }

    /// <summary>
    /// Sign-ins one after another, round-robin over the kinds so drift hits all alike: each imported user signs in twice
    /// (the first verifies the foreign hash and stores FuncAuth's, the second verifies that), a registered user once.
    /// </summary>
    public static async Task SignInsAsync(HttpClient http, string url, ImportUsers users, int samples, ImportResults results, Action<string> log)
    {
        var native = new List<string>();
        for (var i = 0; i < samples; i++)
        {
            var name = $"{users.Username(0)}-registered-{i}";
            await Apps.RegisterAsync(http, url, name);
            native.Add(name);
        }

        // One login first, untimed: the connection and the server's code paths are warm before anything is timed.
        await LoginAsync(http, url, native[0]);
        ImportedHash[] imported = [ImportedHash.Bcrypt, ImportedHash.IdentityV3, ImportedHash.IdentityV2, ImportedHash.Native];
        var timings = new Dictionary<string, List<double>>();
        void Add(string kind, double ms) => (timings.TryGetValue(kind, out var list) ? list : timings[kind] = []).Add(ms);
        for (var n = 0; n < samples; n++)
        {
            foreach (var kind in imported)
            {
                var name = users.UsernameOf(kind, n);
                Add($"imported {ImportUsers.Describe(kind)}: first sign-in", await LoginAsync(http, url, name));
                Add($"imported {ImportUsers.Describe(kind)}: second sign-in", await LoginAsync(http, url, name));
            }

            Add($"registered (native, {Settings.PasswordIterations:N0} iterations, registered through the API)", await LoginAsync(http, url, native[n]));
        }

        foreach (var (kind, ms) in timings)
        {
            results.SignIns.Add(new KindTiming(kind, ms));
            log(Invariant($"import sign-ins: {kind}: p50 {Stats.Median(ms):F0} ms ({ms.Min():F0}–{ms.Max():F0}, {ms.Count} samples)"));
        }
    }

    /// <summary>A successful password login's time, sending to the whole answer read, in milliseconds.</summary>
    private static async Task<double> LoginAsync(HttpClient http, string url, string username)
    {
        var elapsed = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync($"{url}/api/auth/login", new { username, password = Apps.Password });
        var body = await response.Content.ReadAsStringAsync();
        elapsed.Stop();
        return response.StatusCode == HttpStatusCode.OK
            ? elapsed.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"login of {username} answered {(int)response.StatusCode}: {body}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
