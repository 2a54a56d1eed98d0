using System.Net;
using FuncAuth.Accounts;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Accounts;

/// <summary>
/// <c>FuncAuth:Accounts:RequireConfirmedEmail</c>: the right password for an unconfirmed account is refused with its own
/// answer, and only the right one: a wrong password gets the answer every failure gets.
/// </summary>
public sealed class RequireConfirmedEmailTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
{
    ["FuncAuth:Accounts:RequireEmail"] = "true",
    ["FuncAuth:Accounts:RequireConfirmedEmail"] = "true",
}))
{
    private const string Password = EmailClient.Password;

    [Fact]
    public async Task Login_refuses_the_right_password_until_the_address_is_confirmed()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, EmailClient.NewAddress()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // A wrong password: byte for byte the answer for a name nobody has.
        using var wrong = await Client.LoginAsync(username, "not the password at all");
        using var unknown = await Client.LoginAsync(AuthClient.NewUsername(), "not the password at all");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await wrong.Content.ReadAsStringAsync());
        Assert.Equal(unknown.Challenge(), wrong.Challenge());

        using (var right = await Client.LoginAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, right.StatusCode);
            Assert.Equal("application/problem+json", right.Content.Headers.ContentType?.MediaType);
            using var problem = await right.JsonAsync();
            Assert.Equal("urn:funcauth:problem:email-not-confirmed", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal("Email address not confirmed", problem.RootElement.GetProperty("title").GetString());
            Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
            Assert.False(problem.RootElement.TryGetProperty("access_token", out _));
        }

        Assert.Contains(App.Logs.Events, e => e.Id == 4030 && e.Name == "SignInRefusedEmailNotConfirmed");
        Assert.DoesNotContain(App.Logs.Events, e => e.Name == "LoginSucceeded");
        Assert.Empty(await SessionsAsync());

        await ConfirmAsync(username);
        using var confirmed = await Client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var (access, _) = await confirmed.TokensAsync();
        using var profile = await Client.AccountAsync(access);
        using var json = await profile.JsonAsync();
        Assert.True(json.RootElement.GetProperty("email_confirmed").GetBoolean());
    }

    [Fact]
    public async Task The_password_grant_answers_invalid_grant_with_its_own_description()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, EmailClient.NewAddress()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using (var wrong = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", "not the password at all")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            using var error = await wrong.JsonAsync();
            Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
            Assert.Equal("The username or password is incorrect.", error.RootElement.GetProperty("error_description").GetString());
        }

        using (var right = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
            using var error = await right.JsonAsync();
            Assert.Equal("invalid_grant", error.RootElement.GetProperty("error").GetString());
            Assert.Equal("The account's email address is not confirmed.", error.RootElement.GetProperty("error_description").GetString());
            Assert.False(error.RootElement.TryGetProperty("access_token", out _));
        }

        Assert.Empty(await SessionsAsync());
        await ConfirmAsync(username);
        using var confirmed = await Client.TokenAsync(("grant_type", "password"), ("username", username), ("password", Password));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task The_refusal_counts_as_a_right_password_for_lockout()
    {
        // Many refused-but-right sign-ins do not lock the name: the owner can still sign in once confirmed.
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, EmailClient.NewAddress()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        for (var i = 0; i < 12; i++)
        {
            using var refused = await Client.LoginAsync(username, Password);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.DoesNotContain(App.Logs.Events, e => e.Name == "AccountLocked");
        await ConfirmAsync(username);
        using var login = await Client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Registration_without_an_address_is_refused_naming_email()
    {
        var username = AuthClient.NewUsername();
        using (var missing = await Client.RegisterWithEmailAsync(username, email: null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Equal(["email"], await missing.InvalidFieldsAsync());
        }

        using (var absent = await AuthClient.RegisterAsync(Client, username, Password))
        {
            Assert.Equal(HttpStatusCode.BadRequest, absent.StatusCode);
            Assert.Equal(["email"], await absent.InvalidFieldsAsync());
        }

        using var login = await Client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Requiring_a_confirmed_address_without_requiring_one_stops_the_app_at_start()
    {
        var message = await StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, new Dictionary<string, string?>
        {
            ["FuncAuth:Accounts:RequireConfirmedEmail"] = "true",
        });
        Assert.Contains("FuncAuth:Accounts:RequireConfirmedEmail", message, StringComparison.Ordinal);
        Assert.Contains("FuncAuth:Accounts:RequireEmail", message, StringComparison.Ordinal);
    }

    private async Task ConfirmAsync(string username)
    {
        Assert.True(Username.TryCreate(username, out var name, out _));
        var users = App.Services.GetRequiredService<UserStore>();
        var account = await users.FindAsync(name!, TestContext.Current.CancellationToken);
        Assert.NotNull(account?.Email);
        Assert.NotNull(await users.TryUpdateEmailAsync(account!, account!.Email, confirmed: true, TestContext.Current.CancellationToken));
    }

    private async Task<List<string>> SessionsAsync()
    {
        var sessions = new List<string>();
        try
        {
            await foreach (var row in App.Table("FuncAuth:Storage:SessionsTableName").QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                sessions.Add(row.RowKey);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: no session was ever written.
        }

        return sessions;
    }
}
