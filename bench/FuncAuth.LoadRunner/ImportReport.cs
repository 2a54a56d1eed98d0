using System.Globalization;
using System.Text;

namespace FuncAuth.LoadRunner;

/// <summary>The import step's section of the report, and the whole report of an import-only run (BENCH_ONLY=import).</summary>
internal static class ImportReport
{
    /// <summary>The issue's goal for the import (#24).</summary>
    public const double GoalUsersPerSecond = 1000;

    public static string Write(Settings settings, MachineInfo machine, SuiteResults results)
    {
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line($"# FuncAuth user import benchmark, {results.Started:yyyy-MM-dd} on {machine.Host}");
        Line();
        Line("> The import step of `bench/run` run alone (`bench/run --import-only`): the rest of the suite was not run.");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        Line($"| Date (UTC) | {results.Started:yyyy-MM-dd HH:mm} to {results.Finished:HH:mm} |");
        Line($"| Machine | {machine.Host}: {machine.Cores} cores, {machine.Cpu}, {machine.Memory} |");
        Line($"| OS | {machine.OperatingSystem}, Linux {machine.Kernel} |");
        Line($"| .NET | {machine.DotNetRuntime} (SDK {machine.DotNetSdk}), Release builds |");
        Line($"| Azurite | {machine.Azurite} (Table service, in memory, loopback, `--debug` log for counting) |");
        Line($"| Commit | {machine.Commit} |");
        Line($"| Load average | {results.LoadAtStart} at the start, {results.LoadAtEnd} at the end |");
        Line();
        WriteSection(Line, results.Import);
        foreach (var (what, bytes) in results.Memory)
        {
            Line(Invariant($"- {what}: {bytes / 1024.0 / 1024.0:F0} MiB."));
        }

        return text.ToString();
    }

    public static void WriteSection(Action<string> line, ImportResults? import)
    {
        if (import is null)
        {
            return;
        }

        line("## User import");
        line(string.Empty);
        if (import.Error is not null)
        {
            line($"**Aborted:** {import.Error}");
            line(string.Empty);
        }

        if (import.Users > 0)
        {
            var reached = import.UsersPerSecond >= GoalUsersPerSecond;
            line("| What | Figure |");
            line("| --- | --- |");
            line(Invariant($"| `POST api/admin/users/import`, {import.Users:N0} users (hash kinds 1:1:1:1: bcrypt cost 10, Identity V3, Identity V2, native; an address each, every other one confirmed) | {import.Elapsed.TotalSeconds:F1} s = **{import.UsersPerSecond:F0} users/s** |"));
            line(Invariant($"| Goal: at least {GoalUsersPerSecond:N0} users/s | {(reached ? "**met**" : "**not met**")} on this machine |"));
            line(Invariant($"| Storage requests during the import (Azurite's count) | {import.StorageRequests:N0} = {import.CallsPerUser:F2} per user |"));
            line($"| Answers | {string.Join(", ", import.Outcomes.Select(o => Invariant($"{o.Key} {o.Value:N0}")))} |");
            foreach (var (inFlight, inserts, perSecond) in import.RawInserts)
            {
                line(Invariant($"| Azurite's raw single-entity inserts, {inFlight} in flight ({inserts:N0}, Azure.Data.Tables from the suite's process) | {perSecond:F0} inserts/s = at most {perSecond / Math.Max(1, import.CallsPerUser):F0} users/s at {import.CallsPerUser:F2} calls per user |"));
            }

            line(string.Empty);
        }

        if (import.SignIns.Count > 0)
        {
            line("| Sign-in (`POST api/auth/login`, one at a time, one connection) | p50 | range | samples |");
            line("| --- | ---: | --- | ---: |");
            foreach (var kind in import.SignIns)
            {
                line(Invariant($"| {kind.Name} | {kind.Median:F0} ms | {kind.Milliseconds.Min():F0}–{kind.Milliseconds.Max():F0} ms | {kind.Milliseconds.Count} |"));
            }

            line(string.Empty);
        }

        line("How it was measured:");
        line(string.Empty);
        line("- **Raw inserts**: the ceiling of the storage, not of FuncAuth: `TableClient.AddEntityAsync` of entities the size of a user row, each in a partition of its own (as user rows, id-index rows and address claims are), so many in flight from one process, after a warm-up; the same Azurite as the import (writing its `--debug` log, which the suite counts requests by).");
        line("- **Import**: the Server host (Release, as the rest of the suite), its administrator made by `FuncAuth:Admin:BootstrapUsernames` (registered, then the server restarted; the token carries the role). The ndjson body is generated while it is sent (one precomputed hash per kind: import stores hashes, it does not verify them), and the answer's lines are read and counted; the time runs from sending the request to reading the last answer line. Users carry no `id` (FuncAuth gives each a new one), so the import takes its fast path: no read before inserting.");
        line("- **Storage requests**: counted in Azurite's debug log from just before the request until the log stops growing after it.");
        line("- **Sign-ins**: after the import, with the server idle: round-robin over the kinds, each imported user twice in a row (the first verifies the foreign hash and stores FuncAuth's PBKDF2-SHA256 in its place; the second verifies that), and users registered through the API once; one warm-up login first. Every login is checked to answer 200.");
        foreach (var note in import.Notes)
        {
            line($"- {note}");
        }

        line(string.Empty);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
