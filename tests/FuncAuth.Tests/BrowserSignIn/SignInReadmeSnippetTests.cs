using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.BrowserSignIn;

/// <summary>
/// The README's "Sign in with FuncAuth" snippets are the settings the tests run: the ASP.NET Core one is the block
/// between the <c>readme:openidconnect</c> marks of <see cref="RelyingPartySetup"/> (which sets up every relying-party
/// app of <see cref="BrowserSignInTests"/>), and the oidc-client-ts one names the endpoints' flow the tests drive.
/// </summary>
public sealed class SignInReadmeSnippetTests
{
    [Fact]
    public void The_aspnetcore_snippet_is_the_setup_of_the_browser_tests_relying_parties()
    {
        var source = File.ReadAllLines(Path.Combine(StorageFixture.RepositoryRoot, "tests/FuncAuth.Tests/BrowserSignIn/RelyingPartySetup.cs"));
        var start = Array.FindIndex(source, l => l.Trim() == "// <readme:openidconnect>");
        var end = Array.FindIndex(source, l => l.Trim() == "// </readme:openidconnect>");
        Assert.True(start >= 0 && end > start, "The readme:openidconnect marks are missing.");
        Assert.Equal(Snippet("openidconnect").Split('\n'), Unindent(source[(start + 1)..end]));
    }

    [Fact]
    public void The_single_page_app_snippet_asks_for_the_code_flow_at_funcauths_issuer()
    {
        var snippet = Snippet("oidc-client-ts");

        // oidc-client-ts does PKCE (S256) itself for response_type "code"; the rest is what FuncAuth registers.
        Assert.Contains("new UserManager(", snippet, StringComparison.Ordinal);
        Assert.Contains("authority: \"http://localhost:7071\"", snippet, StringComparison.Ordinal);
        Assert.Contains("response_type: \"code\"", snippet, StringComparison.Ordinal);
        Assert.Contains("scope: \"openid profile email\"", snippet, StringComparison.Ordinal);
        Assert.Contains("client_id:", snippet, StringComparison.Ordinal);
        Assert.Contains("redirect_uri:", snippet, StringComparison.Ordinal);
        Assert.Contains("post_logout_redirect_uri:", snippet, StringComparison.Ordinal);
    }

    /// <summary>The code of the fence after <c>&lt;!-- snippet: name</c> in README.md.</summary>
    private static string Snippet(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(StorageFixture.RepositoryRoot, "README.md"));
        var mark = Array.FindIndex(lines, l => l.StartsWith($"<!-- snippet: {name} ", StringComparison.Ordinal));
        Assert.True(mark >= 0, $"README.md has no snippet mark for {name}.");
        var open = Array.FindIndex(lines, mark, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindIndex(lines, open + 1, l => l.StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', lines[(open + 1)..close]);
    }

    private static string[] Unindent(string[] lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return [.. lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())];
    }
}
