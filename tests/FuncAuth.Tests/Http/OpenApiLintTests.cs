using System.Text.Json.Nodes;
using FuncAuth.Http;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Http;

/// <summary>
/// The served OpenAPI document passes Redocly's linter with its recommended rules (@redocly/cli, pinned in the
/// repository's package.json): no error, so tools that lint before they generate clients or docs take it as it is.
/// </summary>
public sealed class OpenApiLintTests(StorageFixture storage)
{
    private const string Cli = "node_modules/@redocly/cli/bin/cli.js";

    [Fact]
    public async Task The_document_lints_clean_with_redocly_recommended_rules()
    {
        var root = StorageFixture.RepositoryRoot;
        Assert.True(File.Exists(Path.Combine(root, Cli)), $"@redocly/cli is not installed in {root}/node_modules: run 'npm ci' there.");

        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var file = Path.Combine(Directory.CreateTempSubdirectory("funcauth-openapi-").FullName, "openapi.json");
        try
        {
            await File.WriteAllTextAsync(file, await client.GetStringAsync(FuncAuthRoutes.OpenApi), TestContext.Current.CancellationToken);

            var lint = await ExternalProcess.RunAsync(
                "node",
                [Cli, "lint", "--extends=recommended", "--format=json", file],
                root,
                new Dictionary<string, string?>
                {
                    // Offline and quiet: no usage report, no update check.
                    ["REDOCLY_TELEMETRY"] = "off",
                    ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
                    ["NODE_OPTIONS"] = null,
                });
            TestContext.Current.TestOutputHelper?.WriteLine(lint.ToString());

            Assert.True(lint.ExitCode == 0, $"redocly lint failed: {lint}");
            var report = JsonNode.Parse(lint.Output[lint.Output.IndexOf('{', StringComparison.Ordinal)..])!;
            Assert.True((int?)report["totals"]?["errors"] == 0, $"redocly lint found errors: {lint}");
            var errors = ((JsonArray?)report["problems"] ?? []).Where(p => (string?)p?["severity"] == "error");
            Assert.Empty(errors);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
