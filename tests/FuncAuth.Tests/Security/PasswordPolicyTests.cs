using System.Net;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security;

/// <summary>NIST SP 800-63B §3.1.1.2 for new passwords: length, a blocklist of common passwords, not the username.</summary>
public sealed class PasswordPolicyTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
{
    ["FuncAuth:Passwords:MinimumLength"] = "10",
}))
{
    [Theory]
    [InlineData("password123", "most common passwords")]
    [InlineData("PassWord123", "most common passwords")]
    [InlineData("1234567890", "most common passwords")]
    [InlineData("qwertyuiop", "most common passwords")]
    [InlineData("iloveyou12", "most common passwords")]
    [InlineData("short pw", "at least 10 characters")]
    public async Task Registration_refuses_a_common_or_short_password_saying_why(string password, string reason)
    {
        using var response = await Client.RegisterAsync(AuthClient.NewUsername(), password);
        await AssertRefusedAsync(response, "password", reason);
    }

    [Fact]
    public async Task Registration_refuses_a_password_that_is_or_contains_the_username()
    {
        var username = "Zebra" + Guid.NewGuid().ToString("N")[..6];
        using var same = await Client.RegisterAsync(username, username.ToLowerInvariant());
        await AssertRefusedAsync(same, "password", "must not contain your username");
        using var containing = await Client.RegisterAsync(username, $"my {username.ToUpperInvariant()} rules");
        await AssertRefusedAsync(containing, "password", "must not contain your username");

        // No composition rules: a long passphrase of plain lower-case words is fine.
        using var fine = await Client.RegisterAsync(username, "violet tractor wanders east");
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);
    }

    [Fact]
    public async Task A_password_change_follows_the_same_rules()
    {
        var username = AuthClient.NewUsername();
        var (access, _) = await Client.RegisterAndStartSessionAsync(username);
        using (var common = await Client.ChangePasswordAsync(access, "correct horse battery", "password123"))
        {
            await AssertRefusedAsync(common, "new_password", "most common passwords");
        }

        using (var named = await Client.ChangePasswordAsync(access, "correct horse battery", $"xx{username}xx"))
        {
            await AssertRefusedAsync(named, "new_password", "must not contain your username");
        }

        using var login = await Client.LoginAsync(username, "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_login_is_not_refused_for_a_password_the_policy_would_refuse_now()
    {
        // Rules apply to new passwords; an existing one (set before the rules were stricter) still logs in.
        await using var lenient = new FuncAuthApp(storage.ConnectionString);
        using var lenientClient = lenient.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await lenientClient.RegisterAsync(username, "nine char"))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        await using var strict = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["FuncAuth:Passwords:MinimumLength"] = "12",
            ["FuncAuth:Storage:UsersTableName"] = lenient.Setting("FuncAuth:Storage:UsersTableName"),
        });
        using var strictClient = strict.CreateClient();
        using var login = await strictClient.LoginAsync(username, "nine char");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public void The_blocklist_holds_at_least_the_10000_most_common_passwords()
    {
        foreach (var common in new[] { "123456", "password", "12345678", "qwerty", "123456789", "letmein", "trustno1", "dragon" })
        {
            Assert.True(PasswordPolicy.IsCommon(common), common);
        }

        Assert.True(PasswordPolicy.IsCommon("LetMeIn"));
        Assert.False(PasswordPolicy.IsCommon("violet tractor wanders east"));
        var list = typeof(Zxcvbn.Zxcvbn).Assembly.GetManifestResourceStream("zxcvbn-core.Dictionaries.passwords.lst")!;
        using var reader = new StreamReader(list);
        Assert.True(reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 10_000);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string reason)
    {
        Expect.Problem(response, HttpStatusCode.BadRequest);
        using var json = await response.JsonAsync();
        var message = Assert.Single(json.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }
}
