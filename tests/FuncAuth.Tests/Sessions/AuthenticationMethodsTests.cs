using System.Net;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FuncAuth.Tests.Sessions;

/// <summary>
/// How the user signed in (RFC 8176 <c>amr</c>) is recorded on the session and said by every access token it issues and by
/// verify; a session row from before methods were recorded was a password sign-in.
/// </summary>
public sealed class AuthenticationMethodsTests(StorageFixture storage)
{
    [Fact]
    public async Task A_password_login_says_pwd_in_its_access_tokens_its_refreshed_ones_and_verify()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        Assert.Equal(["pwd"], new JsonWebToken(access).GetPayloadValue<string[]>("amr"));

        using var verified = await client.VerifyAsync(access);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        using var claims = await verified.JsonAsync();
        Assert.Equal(["pwd"], claims.RootElement.GetProperty("amr").EnumerateArray().Select(m => m.GetString()));

        // Stored on the session, so a refresh says the same.
        var sub = claims.RootElement.GetProperty("sub").GetString()!;
        var row = (await app.Table("FuncAuth:Storage:SessionsTableName").GetEntityAsync<TableEntity>(sub, AuthClient.SessionIdOf(access))).Value;
        Assert.Equal("pwd", row.GetString("Methods"));
        using var refreshed = await client.RefreshAsync(refresh);
        var (next, _) = await refreshed.TokensAsync();
        Assert.Equal(["pwd"], new JsonWebToken(next).GetPayloadValue<string[]>("amr"));
    }

    [Fact]
    public async Task A_session_row_that_records_other_methods_issues_them_and_one_without_any_issues_pwd()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var (access, refresh) = await client.RegisterAndStartSessionAsync(AuthClient.NewUsername());
        var table = app.Table("FuncAuth:Storage:SessionsTableName");
        var sub = new JsonWebToken(access).Subject;
        var row = (await table.GetEntityAsync<TableEntity>(sub, AuthClient.SessionIdOf(access))).Value;

        // What the session says is what its tokens say: the row is the one source.
        row["Methods"] = "pwd otp mfa";
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        using (var refreshed = await client.RefreshAsync(refresh))
        {
            (access, refresh) = await refreshed.TokensAsync();
        }

        Assert.Equal(["pwd", "otp", "mfa"], new JsonWebToken(access).GetPayloadValue<string[]>("amr"));

        // A row written before methods were recorded.
        row = (await table.GetEntityAsync<TableEntity>(sub, AuthClient.SessionIdOf(access))).Value;
        row.Remove("Methods");
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        using var again = await client.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var (last, _) = await again.TokensAsync();
        Assert.Equal(["pwd"], new JsonWebToken(last).GetPayloadValue<string[]>("amr"));
    }
}
