using System.Diagnostics;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FuncAuth.Http;
using FuncAuth.Tests.Security.Fuzzing;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Seeded property-based fuzzing (FsCheck) of every route of <see cref="FuncAuthRoutes"/>, the docs page and a few unknown
/// routes, through the Kestrel host's real pipeline on real Table Storage: random methods, content types, headers
/// (genuine tokens of registered users among them), bodies (JSON of every type with the endpoint's field names, forms,
/// raw bytes, multipart, near and over the 8 KiB limit) and Unicode everywhere (lone surrogates both as JSON escapes and
/// as raw invalid UTF-8, RTL marks, NUL, combining marks, emoji). Every answer must be below 500; every error must be
/// problem+json, except the RFC 6749 §5.2 objects of token and revoke; nothing sent may come back unescaped; and the
/// users table must hold exactly the accounts whose registration answered 201. The seeds are fixed, so a failure
/// reproduces: FsCheck prints the seed and the shrunk request; FUNCAUTH_FUZZ_SEED=seed[,gamma] tries another run.
/// </summary>
public sealed class FuzzTests(FuzzTarget target, ITestOutputHelper output) : IClassFixture<FuzzTarget>
{
    /// <summary>The main property's seed and gamma (FsCheck's Rnd; the gamma must be odd).</summary>
    public const ulong Seed = 20_260_611;

    public const ulong Gamma = 11_400_714_819_323_198_485;

    public const int GeneratedRequests = 5_000;

    /// <summary>The token endpoint's property: its own seed (same gamma).</summary>
    public const ulong TokenSeed = 20_260_612;

    public const int TokenParameterSets = 400;

    private const string SeedVariable = "FUNCAUTH_FUZZ_SEED";

    [Fact]
    public async Task Random_requests_to_every_route_get_no_5xx_only_problem_json_errors_and_no_reflected_input()
    {
        var (seed, gamma) = ReplayFromEnvironment() ?? (Seed, Gamma);
        output.WriteLine($"FsCheck seed (seed,gamma) = ({seed},{gamma}){(seed == Seed && gamma == Gamma ? string.Empty : $" from {SeedVariable}")}; {GeneratedRequests} generated requests over {target.Routes.Count} routes of FuncAuthRoutes, the docs and {RequestGenerators.UnknownPaths.Length} unknown paths");
        var runner = new OutputRunner(output);
        var property = Prop.ForAll(Arb.From(RequestGenerators.Requests(target.Routes), RequestShrinkers.Request), (Action<FuzzRequest>)target.Check);

        var clock = Stopwatch.StartNew();
        var before = target.RequestsSent;
        await Task.Run(() => Check.One(Configured(seed, gamma, GeneratedRequests, runner), property), TestContext.Current.CancellationToken);
        var sent = target.RequestsSent - before;
        output.WriteLine($"{sent} fuzz requests sent, shrinking included ({runner.Shrinks} shrinks), and {target.SupportRequests} more to register and log in the users whose tokens were sent, in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(target.Tally());

        var mismatch = await target.UsersTableMismatchAsync();
        output.WriteLine($"{target.RegisteredCount} accounts registered with 201 (and not deleted); users table: {mismatch ?? "the same accounts"}");
        Assert.True(runner.Failure is null && mismatch is null, $"{runner.Failure}{Environment.NewLine}Users table: {mismatch ?? "as expected"}");
        Assert.True(sent >= GeneratedRequests, $"Only {sent} requests were sent.");
    }

    [Fact]
    public async Task Token_endpoint_answers_any_parameter_set_with_tokens_or_an_rfc6749_error()
    {
        output.WriteLine($"FsCheck seed (seed,gamma) = ({TokenSeed},{Gamma}); {TokenParameterSets} generated parameter sets for {FuncAuthRoutes.Token}");
        var runner = new OutputRunner(output);
        var property = Prop.ForAll(Arb.From(RequestGenerators.TokenRequests(), RequestShrinkers.TokenRequest), (Action<TokenRequest>)target.CheckToken);

        var clock = Stopwatch.StartNew();
        var before = target.RequestsSent;
        await Task.Run(() => Check.One(Configured(TokenSeed, Gamma, TokenParameterSets, runner), property), TestContext.Current.CancellationToken);
        var sent = target.RequestsSent - before;
        output.WriteLine($"{sent} requests sent, shrinking included ({runner.Shrinks} shrinks), in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(runner.Failure is null, runner.Failure);
        Assert.True(sent >= TokenParameterSets, $"Only {sent} requests were sent.");
    }

    private static Config Configured(ulong seed, ulong gamma, int tests, IRunner runner) => Config.Quick
        .WithMaxTest(tests)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, gamma), FSharpOption<int>.None)))
        .WithRunner(runner);

    private static (ulong Seed, ulong Gamma)? ReplayFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
        var seed = ulong.Parse(parts[0], CultureInfo.InvariantCulture);
        var gamma = parts.Length > 1 ? ulong.Parse(parts[1], CultureInfo.InvariantCulture) : Gamma;
        return (seed, gamma | 1);
    }

    /// <summary>Writes FsCheck's verdict to the test output and keeps a failure for the assertion after the users-table check.</summary>
    private sealed class OutputRunner(ITestOutputHelper output) : IRunner
    {
        public string? Failure { get; private set; }

        public int Shrinks { get; private set; }

        public void OnStartFixture(Type t)
        {
        }

        public void OnArguments(int ntest, FSharpList<object> args, FSharpFunc<int, FSharpFunc<FSharpList<object>, string>> every)
        {
        }

        public void OnShrink(FSharpList<object> args, FSharpFunc<FSharpList<object>, string> everyShrink) => Shrinks++;

        public void OnFinished(string name, FsCheck.TestResult testResult)
        {
            var text = Runner.onFinishedToString(name, testResult);
            output.WriteLine(text);
            if (!testResult.IsPassed)
            {
                Failure = text;
            }
        }
    }
}
