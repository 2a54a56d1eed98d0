using System.Net;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Accounts;

/// <summary>The username rules as clients meet them: refusals that say why, and case folding across accounts.</summary>
public sealed class UsernameRulesOverHttpTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Theory]
    [MemberData(nameof(UsernameExamples.Refused), MemberType = typeof(UsernameExamples))]
    public async Task Refused_names_get_a_400_problem_that_says_why(string username, string reason)
    {
        using var response = await Client.RegisterAsync(username, "correct horse battery");

        Expect.Problem(response, HttpStatusCode.BadRequest);
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

    [Fact]
    public async Task Users_are_stored_with_the_scheme_of_their_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username);

        Assert.True(Username.TryCreate(username, out var name, out _));
        var table = App.Table("FuncAuth:Storage:UsersTableName");
        var entity = await table.GetEntityAsync<TableEntity>(name!.Key, "account", cancellationToken: ct);
        Assert.Equal(Username.KeyScheme, entity.Value.GetInt32("KeyScheme"));
        var users = App.Services.GetRequiredService<UserStore>();
        Assert.Equal(Username.KeyScheme, (await users.FindAsync(name, ct))!.KeyScheme);

        // A user stored before schemes were recorded reads as keyed by scheme 1, ready to be migrated.
        entity.Value.Remove("KeyScheme");
        await table.UpdateEntityAsync(entity.Value, entity.Value.ETag, TableUpdateMode.Replace, ct);
        Assert.Equal(1, (await users.FindAsync(name, ct))!.KeyScheme);
    }
}
