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
        Assert.Equal(ReadmeSnippets.Snippet("openidconnect").Split('\n'), ReadmeSnippets.Marked("tests/FuncAuth.Tests/BrowserSignIn/RelyingPartySetup.cs", "openidconnect"));
    }

    [Fact]
    public void The_single_page_app_snippet_asks_for_the_code_flow_at_funcauths_issuer()
    {
        var snippet = ReadmeSnippets.Snippet("oidc-client-ts");

        // oidc-client-ts does PKCE (S256) itself for response_type "code"; the rest is what FuncAuth registers.
        Assert.Contains("new UserManager(", snippet, StringComparison.Ordinal);
        Assert.Contains("authority: \"http://localhost:7071\"", snippet, StringComparison.Ordinal);
        Assert.Contains("response_type: \"code\"", snippet, StringComparison.Ordinal);
        Assert.Contains("scope: \"openid profile email\"", snippet, StringComparison.Ordinal);
        Assert.Contains("client_id:", snippet, StringComparison.Ordinal);
        Assert.Contains("redirect_uri:", snippet, StringComparison.Ordinal);
        Assert.Contains("post_logout_redirect_uri:", snippet, StringComparison.Ordinal);
    }
}
