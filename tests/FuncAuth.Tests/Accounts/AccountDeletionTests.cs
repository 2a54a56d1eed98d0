using System.Net;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Accounts;

/// <summary>A user removed, through FuncAuth or behind its back: no token of theirs keeps working.</summary>
public sealed class AccountDeletionTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Deleting_the_account_revokes_every_token_and_frees_the_name()
    {
        var username = AuthClient.NewUsername();
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(username);
        var (other, otherRefresh) = await Client.StartSessionAsync(username);

        using (var wrong = await Client.DeleteAccountAsync(access, "not the password"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        using (var verified = await Client.VerifyAsync(access))
        {
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        }

        using (var deleted = await Client.DeleteAccountAsync(access, Password))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await Expect.RevokedAsync(Client, access);
        await Expect.RevokedAsync(Client, other);
        await Expect.InvalidGrantAsync(Client, refresh);
        await Expect.InvalidGrantAsync(Client, otherRefresh);
        using (var login = await Client.LoginAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }

        // The name is free: a new account with it is a new user, untouched by the old one's revocations.
        var (fresh, _) = await Client.RegisterAndStartSessionAsync(username, "another fine password");
        using var freshVerified = await Client.VerifyAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, freshVerified.StatusCode);
    }

    [Fact]
    public async Task A_user_removed_from_the_table_gets_no_new_tokens_and_the_session_ends()
    {
        var username = AuthClient.NewUsername();
        var (access, refresh) = await Client.RegisterAndStartSessionAsync(username);
        Assert.True(Username.TryCreate(username, out var name, out _));
        await App.Table("FuncAuth:Storage:UsersTableName").DeleteEntityAsync(name!.Key, "account");

        await Expect.InvalidGrantAsync(Client, refresh);

        // The refresh that found the user gone ended the session, so its access token is refused too.
        await Expect.RevokedAsync(Client, access);
    }
}
