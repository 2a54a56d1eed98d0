using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FuncAuth.Mfa;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Mfa;

/// <summary>
/// Turning TOTP on and off over HTTP: the password again, a pending secret confirmed by a code, 10 recovery codes shown
/// once; the secret stored only encrypted, under a key that can be rotated; a deployment without a key has no TOTP, and a
/// malformed key stops start-up.
/// </summary>
public sealed partial class TotpEnrolmentTests(StorageFixture storage)
{
    [Fact]
    public async Task Enrolment_answers_a_secret_its_uri_and_a_qr_code_and_a_code_turns_totp_on_with_ten_recovery_codes()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var access = await client.RegisterAndLoginAsync(username, TotpClient.Password);

        using var enrolled = await client.EnrolAsync(access);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal("no-store", enrolled.Headers.CacheControl?.ToString());
        using var setup = await enrolled.JsonAsync();
        var secret = setup.RootElement.GetProperty("secret").GetString()!;
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal(
            $"otpauth://totp/FuncAuth:{username}?secret={secret}&issuer=FuncAuth&algorithm=SHA1&digits=6&period=30",
            setup.RootElement.GetProperty("otpauth_uri").GetString());
        Assert.StartsWith("<svg", setup.RootElement.GetProperty("qr_code_svg").GetString()!.TrimStart(), StringComparison.Ordinal);

        // Pending only: login is still the password alone.
        using (var login = await client.LoginAsync(username, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        using var confirmed = await client.ConfirmTotpAsync(access, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        using var codes = await confirmed.JsonAsync();
        var recoveryCodes = codes.RootElement.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        Assert.All(recoveryCodes, c => Assert.Matches("^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$", c));
        Assert.Contains(app.Logs.Lines, l => l.Contains($"turned TOTP on; 10 recovery codes", StringComparison.Ordinal));

        await client.MfaTokenAsync(username);

        // On: enrolling again is a conflict, and so is confirming again.
        using (var again = await client.EnrolAsync(access))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using var reconfirmed = await client.ConfirmTotpAsync(access, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Conflict, reconfirmed.StatusCode);

        // Nothing the user was shown is in a log line.
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal) || recoveryCodes.Any(c => l.Contains(c, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Confirmation_refuses_a_wrong_code_and_needs_a_pending_secret_and_a_new_enrolment_replaces_the_pending_one()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var access = await client.RegisterAndLoginAsync(AuthClient.NewUsername(), TotpClient.Password);

        using (var nothing = await client.ConfirmTotpAsync(access, "123456"))
        {
            Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        }

        var first = await client.BeginAsync(access);
        var second = await client.BeginAsync(access);
        Assert.NotEqual(first, second);

        using (var wrong = await client.ConfirmTotpAsync(access, TotpClient.Code(first, clock.GetUtcNow())))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            using var problem = await wrong.JsonAsync();
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("code", out _));
        }

        using var right = await client.ConfirmTotpAsync(access, TotpClient.Code(second, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_403_and_counts_toward_the_lockout()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var access = await client.RegisterAndLoginAsync(username, TotpClient.Password);

        for (var i = 0; i < 5; i++)
        {
            using var refused = await client.EnrolAsync(access, "not the password");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains("was refused a TOTP change (enrol): wrong password", StringComparison.Ordinal));
        using var locked = await client.LoginAsync(username, TotpClient.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
    }

    [Fact]
    public async Task Turning_it_off_needs_the_password_and_a_current_code_and_then_login_is_the_password_alone()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, secret, recoveryCodes) = await client.RegisterWithTotpAsync(username, clock);
        clock.Advance(TimeSpan.FromSeconds(30));
        var code = TotpClient.Code(secret, clock.GetUtcNow());

        using (var wrongPassword = await client.DisableTotpAsync(access, code, "not the password"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongPassword.StatusCode);
        }

        using (var wrongCode = await client.DisableTotpAsync(access, code == "000000" ? "111111" : "000000"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongCode.StatusCode);
        }

        await client.MfaTokenAsync(username);
        using (var disabled = await client.DisableTotpAsync(access, code))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        using (var login = await client.LoginAsync(username, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal(["pwd"], TotpClient.Amr(await login.AccessTokenAsync()));
        }

        using (var off = await client.DisableTotpAsync(access, code))
        {
            Assert.Equal(HttpStatusCode.Conflict, off.StatusCode);
        }

        // Nothing of it is left in the table: no secret, no recovery code.
        var table = app.Table("FuncAuth:Storage:AuthenticatorsTableName");
        Assert.Empty(await RowsAsync(table, await UserIdAsync(client, access)));

        // Turned on again, a recovery code of the old set is worth nothing.
        var (_, _, fresh) = await client.RegisterWithTotpAsync(username, clock, access);
        Assert.Empty(fresh.Intersect(recoveryCodes));
        using var old = await client.SecondFactorAsync(await client.MfaTokenAsync(username), recoveryCode: recoveryCodes[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task The_secret_is_stored_only_encrypted_with_the_id_of_its_key()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var (access, secret, recoveryCodes) = await client.RegisterWithTotpAsync(AuthClient.NewUsername(), clock);
        var userId = await UserIdAsync(client, access);

        var rows = await RowsAsync(app.Table("FuncAuth:Storage:AuthenticatorsTableName"), userId);
        Assert.Equal(11, rows.Count);
        var totp = Assert.Single(rows, r => r.RowKey == "totp");
        Assert.Equal(KeyId(TotpClient.EncryptionKey), totp.GetString("KeyId"));
        var secretBytes = OtpNet.Base32Encoding.ToBytes(secret);
        foreach (var value in rows.SelectMany(r => r.Select(p => p.Value?.ToString() ?? string.Empty)))
        {
            Assert.DoesNotContain(secret, value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secretBytes), value, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(secretBytes), value, StringComparison.OrdinalIgnoreCase);
        }

        // Recovery codes only as hashes: no row key or value holds a code.
        Assert.Equal(10, rows.Count(r => RecoveryRow().IsMatch(r.RowKey)));
        Assert.DoesNotContain(rows, r => recoveryCodes.Any(c => r.RowKey.Contains(c.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));

        // A ciphertext copied into another user's row does not decrypt there: its code does not sign that user in.
        var victimName = AuthClient.NewUsername();
        var (victimAccess, _, _) = await client.RegisterWithTotpAsync(victimName, clock);
        var victimId = await UserIdAsync(client, victimAccess);
        var table = app.Table("FuncAuth:Storage:AuthenticatorsTableName");
        var victimRow = (await table.GetEntityAsync<TableEntity>(victimId, "totp")).Value;
        victimRow["Secret"] = totp["Secret"];
        victimRow["KeyId"] = totp["KeyId"];
        await table.UpdateEntityAsync(victimRow, victimRow.ETag, TableUpdateMode.Replace);
        clock.Advance(TimeSpan.FromSeconds(30));
        using var moved = await client.SecondFactorAsync(await client.MfaTokenAsync(victimName), TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.Unauthorized, moved.StatusCode);
        Assert.Contains(app.Logs.Lines, l => l.Contains("cannot be decrypted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_app_with_the_old_key_as_previous_decrypts_and_re_encrypts_under_the_new_key()
    {
        var clock = TotpClient.Clock();
        var tables = FuncAuthApp.NewTableNames();
        string username, secret, userId;
        await using (var before = TotpClient.App(storage, clock, tables, deleteTablesOnDispose: false))
        {
            using var client = before.CreateClient();
            username = AuthClient.NewUsername();
            string access;
            (access, secret, _) = await client.RegisterWithTotpAsync(username, clock);
            userId = await UserIdAsync(client, access);
        }

        var rotated = new Dictionary<string, string?>(tables)
        {
            ["FuncAuth:Mfa:EncryptionKey"] = TotpClient.OtherKey,
            ["FuncAuth:Mfa:PreviousEncryptionKeys:0"] = TotpClient.EncryptionKey,
        };
        await using (var after = TotpClient.App(storage, clock, rotated, deleteTablesOnDispose: false))
        {
            using var client = after.CreateClient();
            var table = after.Table("FuncAuth:Storage:AuthenticatorsTableName");
            Assert.Equal(KeyId(TotpClient.EncryptionKey), (await table.GetEntityAsync<TableEntity>(userId, "totp")).Value.GetString("KeyId"));

            clock.Advance(TimeSpan.FromSeconds(30));
            using var signedIn = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, clock.GetUtcNow()));
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal(KeyId(TotpClient.OtherKey), (await table.GetEntityAsync<TableEntity>(userId, "totp")).Value.GetString("KeyId"));
        }

        // Re-encrypted: the old key can now be dropped.
        var newOnly = new Dictionary<string, string?>(tables) { ["FuncAuth:Mfa:EncryptionKey"] = TotpClient.OtherKey };
        await using var last = TotpClient.App(storage, clock, newOnly);
        using var lastClient = last.CreateClient();
        clock.Advance(TimeSpan.FromSeconds(30));
        using var again = await lastClient.SecondFactorAsync(await lastClient.MfaTokenAsync(username), TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory]
    [InlineData("FuncAuth:Mfa:EncryptionKey", "not base64!")]
    [InlineData("FuncAuth:Mfa:EncryptionKey", "c2hvcnQ=")]
    [InlineData("FuncAuth:Mfa:PreviousEncryptionKeys:0", "c2hvcnQ=")]
    public async Task A_malformed_key_is_refused_at_start_up_naming_the_setting(string setting, string value)
    {
        var overrides = new Dictionary<string, string?> { [setting] = value };
        if (setting != "FuncAuth:Mfa:EncryptionKey")
        {
            overrides["FuncAuth:Mfa:EncryptionKey"] = TotpClient.EncryptionKey;
        }

        var message = await StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, overrides);
        Assert.Contains(setting.Replace(":0", string.Empty, StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_key_outside_development_enrolment_answers_404_and_sign_in_is_unchanged()
    {
        var clock = TotpClient.Clock();
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            Time = clock,
            TestServices = services => services.AddSingleton(new EncryptionKeyRing(
                Options.Create(new MfaOptions()),
                new HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() },
                new ConfigurationBuilder().Build())),
        };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var access = await client.RegisterAndLoginAsync(username, TotpClient.Password);

        using var enrol = await client.EnrolAsync(access);
        Assert.Equal(HttpStatusCode.NotFound, enrol.StatusCode);
        using var problem = await enrol.JsonAsync();
        Assert.Equal(TotpEndpoints.NotConfiguredDetail, problem.RootElement.GetProperty("detail").GetString());
        using var confirm = await client.ConfirmTotpAsync(access, "123456");
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);

        using var login = await client.LoginAsync(username, TotpClient.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task In_development_without_a_key_one_is_generated_owner_only_into_the_local_data_folder()
    {
        var folder = Directory.CreateTempSubdirectory("funcauth-mfa-").FullName;
        try
        {
            var clock = TotpClient.Clock();
            await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:LocalDataPath"] = folder }) { Time = clock };
            using var client = app.CreateClient();
            var username = AuthClient.NewUsername();
            var (_, secret, _) = await client.RegisterWithTotpAsync(username, clock);

            var path = Path.Combine(folder, EncryptionKeyRing.DevelopmentKeyFileName);
            Assert.True(EncryptionKeyRing.TryDecode(await File.ReadAllTextAsync(path), out _));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            clock.Advance(TimeSpan.FromSeconds(30));
            using var signedIn = await client.SecondFactorAsync(await client.MfaTokenAsync(username), TotpClient.Code(secret, clock.GetUtcNow()));
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static async Task<string> UserIdAsync(HttpClient client, string access)
    {
        using var verified = await client.VerifyAsync(access);
        using var json = await verified.JsonAsync();
        return json.RootElement.GetProperty("sub").GetString()!;
    }

    internal static async Task<List<TableEntity>> RowsAsync(TableClient table, string userId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == userId))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string KeyId(string base64Key) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(base64Key))[..8]);

    [GeneratedRegex("^recovery-[0-9a-f]{64}$")]
    private static partial Regex RecoveryRow();
}
