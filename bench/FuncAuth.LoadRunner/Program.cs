using System.Globalization;
using System.Runtime.InteropServices;
using FuncAuth.LoadRunner;

// bench/run's orchestrator (see README "Benchmarks"): everything it starts, it stops, also on Ctrl+C.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var settings = Settings.FromEnvironment();
var work = Directory.CreateTempSubdirectory("funcauth-bench-");
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

var suite = new Suite(settings, work.FullName);
try
{
    Console.WriteLine($"FuncAuth benchmark: {settings.Duration} per run, {settings.Runs} runs, connections {string.Join(", ", settings.Connections)}, {settings.Revocations:N0} revocations{(settings.Label is null ? string.Empty : $", label '{settings.Label}'")}");
    await suite.RunAsync().WaitAsync(cancel.Token);

    var machine = await MachineInfo.CollectAsync(settings.RepositoryRoot, suite.AzuriteVersion);
    var name = $"{suite.Results.Started:yyyy-MM-dd}-{Slug(machine.Host)}{(settings.Label is null ? string.Empty : "-" + Slug(settings.Label))}";
    Directory.CreateDirectory(settings.OutputFolder);
    if (settings.ImportOnly)
    {
        var importReport = Path.Combine(settings.OutputFolder, name + ".md");
        await File.WriteAllTextAsync(importReport, ImportReport.Write(settings, machine, suite.Results));
        Console.WriteLine($"Report: {importReport}");
        return 0;
    }

    var chart = Chart.Draw(Stats.Figures(suite.Results),
        $"FuncAuth on {machine.Host}, {suite.Results.Started:yyyy-MM-dd}{(settings.IsSmoke ? " (smoke run: format only, not a result)" : string.Empty)}");
    await File.WriteAllTextAsync(Path.Combine(settings.OutputFolder, name + ".svg"), chart);
    var report = Path.Combine(settings.OutputFolder, name + ".md");
    await File.WriteAllTextAsync(report, Report.Write(settings, machine, suite.Results, name + ".svg"));
    Console.WriteLine($"Report: {report}");
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted: stopping what the suite started.");
    return 130;
}
finally
{
    await suite.DisposeAsync();
    work.Delete(recursive: true);
}

static string Slug(string text) =>
    new([.. text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
