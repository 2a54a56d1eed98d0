using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Passkeys;

/// <summary>Passwordless sign-in with a passkey over HTTP: the tokens, amr, and every refusal as the one 401 of a failed login.</summary>
public sealed class PasskeySignInTests(StorageFixture storage)
    : AppTests(new FuncAuthApp(storage.ConnectionString) { Time = new FakeTimeProvider(DateTimeOffset.UtcNow) })
{
    private FakeTimeProvider Clock => App.Time!;

    [Fact]
    public async Task Request_options_ask_for_user_verification_and_name_no_credentials()
    {
        using var response = await Client.PostAsync("api/auth/passkeys/login/options", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var options = PasskeyApi.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(PasskeyApi.RpId, options.GetProperty("rpId").GetString());
        Assert.Equal("required", options.GetProperty("userVerification").GetString());
        Assert.Equal(300000, options.GetProperty("timeout").GetInt32());
        Assert.Equal(32, SoftwareAuthenticator.FromBase64Url(options.GetProperty("challenge").GetString()!).Length);
        Assert.Empty(options.GetProperty("allowCredentials").EnumerateArray());
        Assert.NotEqual(options.GetProperty("challenge").GetString(), SoftwareAuthenticator.ChallengeOf(await Client.LoginOptionsAsync()));
    }

    [Theory]
    [InlineData(false, "hwk")]
    [InlineData(true, "swk")]
    public async Task A_passkey_signs_in_as_login_does_with_amr_by_its_backup_eligibility(bool synced, string keyMethod)
    {
        var (token, userId) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin) { BackupEligible = synced, BackedUp = synced, CounterStep = synced ? 0u : 1u };
        await Client.AddPasskeyAsync(token, authenticator);

        using var response = await Client.SignInWithAsync(authenticator);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("refresh_token").GetString()));
        var access = json.RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal([keyMethod, "user"], await Client.AmrAsync(access));

        using var verify = await Client.VerifyAsync(access);
        using var claims = await verify.JsonAsync();
        Assert.Equal(userId, claims.RootElement.GetProperty("sub").GetString());

        // Its refresh keeps the methods; and the passkey shows when it was last used.
        var (_, refresh) = await response.TokensAsync();
        using var refreshed = await Client.RefreshAsync(refresh);
        Assert.Equal([keyMethod, "user"], await Client.AmrAsync(await refreshed.AccessTokenAsync()));
        using var list = await Client.ListPasskeysAsync(token);
        using var listed = await list.JsonAsync();
        Assert.Equal(Clock.GetUtcNow(), Assert.Single(listed.RootElement.GetProperty("passkeys").EnumerateArray()).GetProperty("last_used_at").GetDateTimeOffset());
        Assert.Contains(App.Logs.Events, e => e.Name == "PasskeyRegistered");
    }

    [Theory]
    [InlineData("origin")]
    [InlineData("rpId")]
    [InlineData("uv")]
    [InlineData("type")]
    [InlineData("signature")]
    [InlineData("no user handle")]
    public async Task An_assertion_with_one_thing_wrong_gets_the_one_401_of_a_failed_login(string wrong)
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);
        using var failedPassword = await Client.LoginAsync(AuthClient.NewUsername(), "wrong password!");

        var options = await Client.LoginOptionsAsync();
        switch (wrong)
        {
            case "origin": authenticator.Origin = "https://funcauth.test.evil.example"; break;
            case "rpId": authenticator.RpIdOverride = "evil.example"; break;
            case "uv": authenticator.UserVerified = false; break;
            case "type": authenticator.ClientDataTypeOverride = "webauthn.create"; break;
            case "no user handle": authenticator.UserHandle = null; break;
        }

        var assertion = authenticator.CreateAssertionJson(options);
        if (wrong == "signature")
        {
            var node = JsonNode.Parse(assertion)!;
            var signature = SoftwareAuthenticator.FromBase64Url((string)node["response"]!["signature"]!);
            signature[^1] ^= 1;
            node["response"]!["signature"] = SoftwareAuthenticator.Base64Url(signature);
            assertion = node.ToJsonString();
        }

        using var refused = await Client.PasskeyLoginAsync(assertion);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Challenge());
        Assert.Equal(await failedPassword.Content.ReadAsByteArrayAsync(), await refused.Content.ReadAsByteArrayAsync());
        Assert.Contains(App.Logs.Events, e => e.Name == "PasskeySignInRefused");
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused_because_its_challenge_was_spent()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin) { CounterStep = 0 };
        await Client.AddPasskeyAsync(token, authenticator);
        var assertion = authenticator.CreateAssertionJson(await Client.LoginOptionsAsync());

        using var first = await Client.PasskeyLoginAsync(assertion);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var replayed = await Client.PasskeyLoginAsync(assertion);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Contains(App.Logs.Lines, l => l.Contains("challenge unknown or already spent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registration_challenge_does_not_sign_in()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);

        // Registration options answered with an assertion (the test authenticator reads rp.id for the RP id).
        using var refused = await Client.PasskeyLoginAsync(authenticator.CreateAssertionJson(await Client.RegistrationOptionsAsync(token)));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(App.Logs.Lines, l => l.Contains("challenge issued for a registration", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_challenge_older_than_five_minutes_is_refused()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);

        var justInTime = await Client.LoginOptionsAsync();
        var late = await Client.LoginOptionsAsync();
        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        using (var inTime = await Client.PasskeyLoginAsync(authenticator.CreateAssertionJson(justInTime)))
        {
            Assert.Equal(HttpStatusCode.OK, inTime.StatusCode);
        }

        Clock.Advance(TimeSpan.FromSeconds(1));
        using var expired = await Client.PasskeyLoginAsync(authenticator.CreateAssertionJson(late));
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains(App.Logs.Lines, l => l.Contains("challenge expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_hourly_purge_of_one_time_tokens_removes_unanswered_challenges_and_only_expired_ones()
    {
        var (token, _) = await Client.NewUserAsync();
        await Client.LoginOptionsAsync();
        await Client.RegistrationOptionsAsync(token);
        Clock.Advance(TimeSpan.FromMinutes(6));
        await Client.LoginOptionsAsync();

        var table = App.Table("FuncAuth:Storage:OneTimeTokensTableName");
        Assert.Equal(3, await CountChallengesAsync());
        await App.Services.GetRequiredService<FuncAuth.Email.OneTimeTokens>().PurgeExpiredAsync(CancellationToken.None);
        Assert.Equal(1, await CountChallengesAsync());

        async Task<int> CountChallengesAsync()
        {
            var count = 0;
            await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(
                e => e.PartitionKey.CompareTo("passkey-") > 0 && e.PartitionKey.CompareTo("passkey.") < 0))
            {
                count += row is null ? 0 : 1;
            }

            return count;
        }
    }

    [Fact]
    public async Task A_credential_presented_with_another_users_handle_is_refused()
    {
        var (tokenA, _) = await Client.NewUserAsync();
        var (tokenB, userB) = await Client.NewUserAsync();
        using var authenticatorA = new SoftwareAuthenticator(PasskeyApi.Origin);
        using var authenticatorB = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(tokenA, authenticatorA);
        await Client.AddPasskeyAsync(tokenB, authenticatorB);

        // A's key and credential id, claiming to be B's: B has no passkey by that id.
        authenticatorA.UserHandle = Encoding.UTF8.GetBytes(userB);
        using var refused = await Client.SignInWithAsync(authenticatorA);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // B's credential id with A's key and B's handle: the signature does not verify.
        using var forged = await Client.PasskeyLoginAsync(SwapCredentialId(authenticatorA.CreateAssertionJson(await Client.LoginOptionsAsync()), authenticatorB.CredentialIdText));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        using var genuine = await Client.SignInWithAsync(authenticatorB);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);

        static string SwapCredentialId(string assertion, string id)
        {
            var node = JsonNode.Parse(assertion)!;
            node["id"] = id;
            node["rawId"] = id;
            return node.ToJsonString();
        }
    }

    [Fact]
    public async Task A_counter_that_did_not_increase_is_refused_and_logged_as_a_possible_clone()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);
        using var clone = authenticator.Clone();

        using (var first = await Client.SignInWithAsync(authenticator))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode); // counter 1
        }

        // The clone still reports 1: not greater than the stored 1.
        using (var cloned = await Client.SignInWithAsync(clone))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, cloned.StatusCode);
        }

        Assert.Contains(App.Logs.Events, e => e.Id == 4101 && e.Name == "PasskeyCounterWentBack");

        // A counter back to zero after non-zero is refused too (WebAuthn: when either is non-zero, it must grow).
        authenticator.SignCount = 0;
        authenticator.CounterStep = 0;
        using (var zero = await Client.SignInWithAsync(authenticator))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, zero.StatusCode);
        }

        authenticator.SignCount = 1;
        authenticator.CounterStep = 1;
        using var onward = await Client.SignInWithAsync(authenticator); // 2
        Assert.Equal(HttpStatusCode.OK, onward.StatusCode);
    }

    [Fact]
    public async Task Two_racing_sign_ins_with_one_challenge_start_exactly_one_session()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin) { CounterStep = 0 };
        await Client.AddPasskeyAsync(token, authenticator);

        for (var round = 0; round < 3; round++)
        {
            var options = await Client.LoginOptionsAsync();
            var assertions = Enumerable.Range(0, 4).Select(_ => authenticator.CreateAssertionJson(options)).ToList();
            using var start = new Barrier(assertions.Count);
            var responses = await Task.WhenAll(assertions.Select(a => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await Client.PasskeyLoginAsync(a);
            })));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Equal(assertions.Count - 1, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_passkey_of_a_deleted_account_signs_in_no_more_even_when_its_name_is_taken_again()
    {
        var username = AuthClient.NewUsername();
        var token = await Client.RegisterAndLoginAsync(username);
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);
        using (var deleted = await Client.DeleteAccountAsync(token, "correct horse battery"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await Client.SignInWithAsync(authenticator))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        }

        await Client.RegisterAndLoginAsync(username);
        using var someoneElse = await Client.SignInWithAsync(authenticator);
        Assert.Equal(HttpStatusCode.Unauthorized, someoneElse.StatusCode);
        // The deletion removed the passkey itself (AccountDeletionTests); the account check stays behind it should a removal fail.
        Assert.Contains(App.Logs.Lines, l => l.Contains("no such passkey for the user handle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_passkey_whose_account_row_is_gone_signs_in_no_more()
    {
        var (token, userId) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);

        // Removed behind FuncAuth's back (an operator's edit, a deletion that failed half-way): the passkey row stays.
        var users = App.Table("FuncAuth:Storage:UsersTableName");
        await foreach (var row in users.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"Id eq {userId}")))
        {
            await users.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        using var refused = await Client.SignInWithAsync(authenticator);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(App.Logs.Lines, l => l.Contains("the passkey's account no longer exists", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"id\": \"AAAA\", \"rawId\": \"AAAA\", \"type\": \"public-key\"}")]
    [InlineData("{\"id\": \"AAAA\", \"rawId\": \"AAAB\", \"type\": \"public-key\", \"response\": {\"clientDataJSON\": \"e30\", \"authenticatorData\": \"AA\", \"signature\": \"AA\"}, \"clientExtensionResults\": {}}")]
    public async Task A_body_that_is_not_an_assertion_is_a_400(string body)
    {
        using var response = await Client.PasskeyLoginAsync(body);
        Expect.Problem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Garbage_inside_a_well_formed_assertion_is_a_401_not_a_500()
    {
        var options = await Client.LoginOptionsAsync();
        var challenge = SoftwareAuthenticator.ChallengeOf(options);
        var clientData = SoftwareAuthenticator.Base64Url(Encoding.UTF8.GetBytes($"{{\"type\":\"webauthn.get\",\"challenge\":\"{challenge}\",\"origin\":\"{PasskeyApi.Origin}\"}}"));
        var (_, userId) = await Client.NewUserAsync();
        var body = new JsonObject
        {
            ["id"] = "AAAA",
            ["rawId"] = "AAAA",
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = clientData,
                ["authenticatorData"] = "AAECAw",
                ["signature"] = "AAECAw",
                ["userHandle"] = SoftwareAuthenticator.Base64Url(Encoding.UTF8.GetBytes(userId)),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
        using var response = await Client.PasskeyLoginAsync(body.ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
