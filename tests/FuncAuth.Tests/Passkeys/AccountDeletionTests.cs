using System.Net;
using Azure.Data.Tables;
using FuncAuth.Tests.Mfa;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Passkeys;

/// <summary>Deleting an account takes its second factor and passkeys along: nothing of it stays in the Authenticators table.</summary>
public sealed class AccountDeletionTests(StorageFixture storage)
{
    [Fact]
    public async Task A_deleted_accounts_totp_recovery_codes_and_passkeys_are_removed_and_its_authenticator_can_be_registered_again()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var (access, _, _) = await client.RegisterWithTotpAsync(AuthClient.NewUsername(), clock);
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await client.AddPasskeyAsync(access, authenticator);
        var table = app.Table("FuncAuth:Storage:AuthenticatorsTableName");
        Assert.True(await CountAsync(table) >= 13, "the TOTP row, 10 recovery codes, a passkey and its claim");

        using (var deleted = await client.DeleteAccountAsync(access, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, await CountAsync(table));

        // The same authenticator (the same credential id) registers to a new account.
        var (other, _) = await client.NewUserAsync();
        await client.AddPasskeyAsync(other, authenticator);
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
