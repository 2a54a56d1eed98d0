using System.Net;
using FuncAuth.Tests.Accounts;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Http;

/// <summary>The username rules as clients meet them: refusals that say why, and case folding across accounts.</summary>
public sealed class UsernameRulesOverHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Theory]
    [MemberData(nameof(UsernameExamples.Refused), MemberType = typeof(UsernameExamples))]
    public async Task Refused_names_get_a_400_problem_that_says_why(string username, string reason)
    {
        using var response = await Client.RegisterAsync(username, "correct horse battery");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await response.JsonAsync();
        Assert.Equal(reason, problem.RootElement.GetProperty("errors").GetProperty("username")[0].GetString());
    }

    [Fact]
    public async Task Strasse_with_sharp_s_is_taken_for_capital_sharp_s_who_logs_in_as_the_same_user()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var registered = $"stra\u00DFe-{suffix}";
        var token = await Client.RegisterAndLoginAsync(registered);

        var capital = $"STRA\u1E9EE-{suffix.ToUpperInvariant()}";
        using var again = await Client.RegisterAsync(capital, "another password");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var login = await Client.LoginAsync(capital, "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var firstVerified = await Client.VerifyAsync(token);
        using var first = await firstVerified.JsonAsync();
        using var secondVerified = await Client.VerifyAsync(await login.AccessTokenAsync());
        using var second = await secondVerified.JsonAsync();
        Assert.Equal(first.RootElement.GetProperty("sub").GetString(), second.RootElement.GetProperty("sub").GetString());
        Assert.Equal(registered, second.RootElement.GetProperty("username").GetString());
    }
}
