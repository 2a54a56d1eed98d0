using System.Net;
using System.Text;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Passkeys;

/// <summary>Registering, listing and removing passkeys over HTTP, with a software authenticator answering the options.</summary>
public sealed class PasskeyRegistrationTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task Creation_options_are_webauthn_json_for_a_discoverable_user_verified_credential_of_the_caller()
    {
        var (token, userId) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(token, authenticator);

        using var response = await Client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, "api/auth/passkeys/options", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var options = PasskeyApi.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(PasskeyApi.RpId, options.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("FuncAuth", options.GetProperty("rp").GetProperty("name").GetString());
        Assert.Equal(userId, Encoding.UTF8.GetString(SoftwareAuthenticator.FromBase64Url(options.GetProperty("user").GetProperty("id").GetString()!)));
        Assert.Equal(32, SoftwareAuthenticator.FromBase64Url(options.GetProperty("challenge").GetString()!).Length);
        Assert.Equal([-7, -8, -257], options.GetProperty("pubKeyCredParams").EnumerateArray().Select(p => p.GetProperty("alg").GetInt32()));
        Assert.All(options.GetProperty("pubKeyCredParams").EnumerateArray(), p => Assert.Equal("public-key", p.GetProperty("type").GetString()));
        Assert.Equal(300000, options.GetProperty("timeout").GetInt32());
        Assert.Equal("none", options.GetProperty("attestation").GetString());
        var selection = options.GetProperty("authenticatorSelection");
        Assert.Equal("required", selection.GetProperty("residentKey").GetString());
        Assert.True(selection.GetProperty("requireResidentKey").GetBoolean());
        Assert.Equal("required", selection.GetProperty("userVerification").GetString());
        var excluded = Assert.Single(options.GetProperty("excludeCredentials").EnumerateArray());
        Assert.Equal(authenticator.CredentialIdText, excluded.GetProperty("id").GetString());
        Assert.Equal("public-key", excluded.GetProperty("type").GetString());

        using var anonymous = await Client.PostAsync("api/auth/passkeys/options", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_registered_passkey_is_listed_newest_first_with_its_name_and_can_be_removed()
    {
        var (token, _) = await Client.NewUserAsync();
        using var first = new SoftwareAuthenticator(PasskeyApi.Origin) { Transports = ["usb", "nfc"] };
        using var second = new SoftwareAuthenticator(PasskeyApi.Origin);

        var options = await Client.RegistrationOptionsAsync(token);
        using (var created = await Client.RegisterPasskeyAsync(token, first.CreateAttestationJson(options), "  YubiKey 5  "))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var json = await created.JsonAsync();
            var passkey = json.RootElement;
            Assert.Equal(["created_at", "id", "last_used_at", "name", "transports"], passkey.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(first.CredentialIdText, passkey.GetProperty("id").GetString());
            Assert.Equal("YubiKey 5", passkey.GetProperty("name").GetString());
            Assert.Equal(["usb", "nfc"], passkey.GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
            Assert.InRange(passkey.GetProperty("created_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, passkey.GetProperty("last_used_at").ValueKind);
        }

        await Task.Delay(20);
        await Client.AddPasskeyAsync(token, second);

        using (var list = await Client.ListPasskeysAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            using var json = await list.JsonAsync();
            var passkeys = json.RootElement.GetProperty("passkeys").EnumerateArray().ToList();
            Assert.Equal([second.CredentialIdText, first.CredentialIdText], passkeys.Select(p => p.GetProperty("id").GetString()));
            Assert.Equal(["Passkey", "YubiKey 5"], passkeys.Select(p => p.GetProperty("name").GetString()));
        }

        using (var removed = await Client.DeletePasskeyAsync(token, first.CredentialIdText))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var again = await Client.DeletePasskeyAsync(token, first.CredentialIdText))
        {
            Expect.Problem(again, HttpStatusCode.NotFound);
        }

        using (var list = await Client.ListPasskeysAsync(token))
        {
            using var json = await list.JsonAsync();
            Assert.Equal(second.CredentialIdText, Assert.Single(json.RootElement.GetProperty("passkeys").EnumerateArray()).GetProperty("id").GetString());
        }

        // A removed passkey signs in no more.
        using var signIn = await Client.SignInWithAsync(first);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Someone_elses_passkey_cannot_be_removed_and_the_answer_is_that_of_a_missing_one()
    {
        var (mine, _) = await Client.NewUserAsync();
        var (theirs, _) = await Client.NewUserAsync();
        using var theirAuthenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        var theirId = await Client.AddPasskeyAsync(theirs, theirAuthenticator);

        using var someoneElses = await Client.DeletePasskeyAsync(mine, theirId);
        using var missing = await Client.DeletePasskeyAsync(mine, SoftwareAuthenticator.Base64Url(new byte[32]));
        using var malformed = await Client.DeletePasskeyAsync(mine, "not*base64url");
        foreach (var response in new[] { someoneElses, missing, malformed })
        {
            Expect.Problem(response, HttpStatusCode.NotFound);
        }

        Assert.Equal(await missing.DetailAsync(), await someoneElses.DetailAsync());
        using var list = await Client.ListPasskeysAsync(theirs);
        using var json = await list.JsonAsync();
        Assert.Equal(theirId, Assert.Single(json.RootElement.GetProperty("passkeys").EnumerateArray()).GetProperty("id").GetString());
        using var signIn = await Client.SignInWithAsync(theirAuthenticator);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Theory]
    [InlineData("origin", "The credential was made on a page of another origin.")]
    [InlineData("rpId", "The credential was made for another relying party id.")]
    [InlineData("uv", "The authenticator did not verify the user (PIN or biometrics); user verification is required.")]
    [InlineData("up", "The authenticator did not test for user presence.")]
    [InlineData("type", "The credential is not the answer to a registration.")]
    public async Task An_attestation_with_one_thing_wrong_is_refused_with_a_400_saying_what_and_nothing_is_stored(string wrong, string detail)
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        switch (wrong)
        {
            case "origin": authenticator.Origin = "https://evil.example"; break;
            case "rpId": authenticator.RpIdOverride = "evil.example"; break;
            case "uv": authenticator.UserVerified = false; break;
            case "up": authenticator.UserPresent = false; break;
            case "type": authenticator.ClientDataTypeOverride = "webauthn.get"; break;
        }

        var options = await Client.RegistrationOptionsAsync(token);
        var attestation = authenticator.CreateAttestationJson(options);
        using var refused = await Client.RegisterPasskeyAsync(token, attestation);
        Expect.Problem(refused, HttpStatusCode.BadRequest);
        Assert.Equal(detail, await refused.DetailAsync());
        Assert.Contains(App.Logs.Events, e => e.Name == "PasskeyRegistrationRefused");

        using var list = await Client.ListPasskeysAsync(token);
        using var json = await list.JsonAsync();
        Assert.Empty(json.RootElement.GetProperty("passkeys").EnumerateArray());

        // The challenge was spent by the refused answer: a corrected one for the same options is refused too.
        using var fixedUp = new SoftwareAuthenticator(PasskeyApi.Origin);
        using var late = await Client.RegisterPasskeyAsync(token, fixedUp.CreateAttestationJson(options));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("already used", await late.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_attestation_is_accepted_once_and_only_for_the_account_the_options_were_given_to()
    {
        var (token, _) = await Client.NewUserAsync();
        var (other, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        var options = await Client.RegistrationOptionsAsync(token);
        var attestation = authenticator.CreateAttestationJson(options);

        using (var stolen = await Client.RegisterPasskeyAsync(other, attestation))
        {
            Expect.Problem(stolen, HttpStatusCode.BadRequest);
            Assert.Equal("The registration options were given to another account.", await stolen.DetailAsync());
        }

        var fresh = await Client.RegistrationOptionsAsync(token);
        using (var created = await Client.RegisterPasskeyAsync(token, authenticator.CreateAttestationJson(fresh)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var replayed = await Client.RegisterPasskeyAsync(token, authenticator.CreateAttestationJson(fresh));
        Expect.Problem(replayed, HttpStatusCode.BadRequest);
        Assert.Contains("already used", await replayed.DetailAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_id_registered_to_one_user_is_refused_to_another_and_to_the_same_user_twice()
    {
        var (first, _) = await Client.NewUserAsync();
        var (second, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        await Client.AddPasskeyAsync(first, authenticator);

        // The same credential presented again, by another account (its id is anyone's to read) or by its owner.
        foreach (var token in new[] { second, first })
        {
            using var copy = authenticator.Clone();
            using var refused = await Client.RegisterPasskeyAsync(token, copy.CreateAttestationJson(await Client.RegistrationOptionsAsync(token)));
            Expect.Problem(refused, HttpStatusCode.BadRequest);
            Assert.Equal("That passkey is already registered.", await refused.DetailAsync());
        }

        // Removed, the credential is free again.
        using (var removed = await Client.DeletePasskeyAsync(first, authenticator.CredentialIdText))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await Client.AddPasskeyAsync(second, authenticator);
    }

    [Fact]
    public async Task Login_options_do_not_register_a_passkey()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        var loginOptions = PasskeyApi.Parse(await Client.LoginOptionsAsync());
        var attestation = authenticator.CreateAttestationJson(loginOptions.GetProperty("challenge").GetString()!, PasskeyApi.RpId);
        using var refused = await Client.RegisterPasskeyAsync(token, attestation);
        Expect.Problem(refused, HttpStatusCode.BadRequest);
        Assert.Equal(
            "The credential does not answer registration options of this service, or they were already used: ask for new options.",
            await refused.DetailAsync());
    }

    [Theory]
    [InlineData("{\"credential\": 1}", "credential")]
    [InlineData("{\"name\": \"\", \"credential\": {}}", "name")]
    [InlineData("{\"name\": \"a\\u0007b\", \"credential\": {}}", "name")]
    [InlineData("{\"credential\": {}, \"credential\": {}}", null)]
    [InlineData("[]", null)]
    [InlineData("{\"credential\": {\"id\": \"x\"}}", "credential")]
    public async Task Malformed_registration_bodies_are_400s(string body, string? field)
    {
        var (token, _) = await Client.NewUserAsync();
        var request = AuthClient.WithBearer(HttpMethod.Post, "api/auth/passkeys", token);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        Expect.Problem(response, HttpStatusCode.BadRequest);
        if (field is not null)
        {
            using var json = await response.JsonAsync();
            Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task A_name_longer_than_64_characters_is_refused_and_64_is_fine()
    {
        var (token, _) = await Client.NewUserAsync();
        using var authenticator = new SoftwareAuthenticator(PasskeyApi.Origin);
        using (var tooLong = await Client.RegisterPasskeyAsync(token, authenticator.CreateAttestationJson(await Client.RegistrationOptionsAsync(token)), new string('n', 65)))
        {
            Expect.Problem(tooLong, HttpStatusCode.BadRequest);
        }

        var id = await Client.AddPasskeyAsync(token, authenticator, new string('n', 64));
        Assert.Equal(authenticator.CredentialIdText, id);
    }
}
