using System.Diagnostics;
using System.Text;
using FuncAuth.Accounts;

namespace FuncAuth.Tests.Accounts;

/// <summary>
/// Keys must not depend on how the host does Unicode: the same under ICU and under .NET's invariant
/// globalization, where string.Normalize leaves non-ASCII text alone and casing follows .NET's own tables.
/// </summary>
public sealed class UsernameKeyStabilityTests
{
    public const string PrintKeysArgument = "--print-username-keys";

    private const string InvariantVariable = "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT";

    [Fact]
    public async Task Keys_of_accepted_names_are_the_same_under_icu_and_invariant_globalization()
    {
        var children = await Task.WhenAll(ChildKeysAsync(invariant: false), ChildKeysAsync(invariant: true));

        // The first line says whether the child could normalise with ICU: proof that the two runs differ.
        Assert.Equal(["icu", .. Keys()], children[0]);
        Assert.Equal(["invariant", .. Keys()], children[1]);
    }

    /// <summary>What a child process prints: how it globalizes, then one key per accepted example name.</summary>
    public static int PrintKeys(TextWriter output)
    {
        output.WriteLine("\uFF41".Normalize(NormalizationForm.FormKC) == "a" ? "icu" : "invariant");
        foreach (var key in Keys())
        {
            output.WriteLine(key);
        }

        return 0;
    }

    private static List<string> Keys() =>
        [.. UsernameExamples.Accepted.Select(raw => Username.TryCreate(raw, out var name, out var error) ? name!.Key : $"refused: {error}")];

    private static async Task<string[]> ChildKeysAsync(bool invariant)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { [InvariantVariable] = invariant ? "1" : "0" },
        };
        start.ArgumentList.Add(typeof(UsernameKeyStabilityTests).Assembly.Location);
        start.ArgumentList.Add(PrintKeysArgument);

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = child.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(child.ExitCode == 0, $"The child ({InvariantVariable}={start.Environment[InvariantVariable]}) failed: {await errors}");
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
