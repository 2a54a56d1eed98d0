using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Accounts;

/// <summary>The whole flow over HTTP, through the real pipeline, on real Table Storage, with an HS256 and an ES256 deployment.</summary>
public abstract class AuthFlowTests(StorageFixture storage, string signingKey)
    : AppTests(new FuncAuthApp(storage.ConnectionString, TestKeys.Active(signingKey)))
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Register_login_verify_logout_verify(bool formLogin)
    {
        var username = AuthClient.NewUsername();
        const string password = "correct horse battery";

        using var registered = await Client.RegisterAsync(username, password);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var account = await registered.JsonAsync();
        var userId = account.RootElement.GetProperty("id").GetString();
        Assert.True(Guid.TryParse(userId, out _));
        Assert.Equal(username, account.RootElement.GetProperty("username").GetString());

        using var login = formLogin ? await Client.LoginWithFormAsync(username, password) : await Client.LoginAsync(username, password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.CacheControl?.NoStore);
        using var tokenResponse = await login.JsonAsync();
        Assert.Equal("Bearer", tokenResponse.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(900, tokenResponse.RootElement.GetProperty("expires_in").GetInt32());
        var token = tokenResponse.RootElement.GetProperty("access_token").GetString()!;

        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post })
        {
            using var verified = await Client.VerifyAsync(token, method);
            Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            using var claims = await verified.JsonAsync();
            var root = claims.RootElement;
            Assert.True(root.GetProperty("active").GetBoolean());
            Assert.Equal(userId, root.GetProperty("sub").GetString());
            Assert.Equal(username, root.GetProperty("username").GetString());
            Assert.Equal(FuncAuthApp.Issuer, root.GetProperty("iss").GetString());
            Assert.Equal(FuncAuthApp.Audience, root.GetProperty("aud").GetString());
            Assert.Equal(900, root.GetProperty("exp").GetInt64() - root.GetProperty("iat").GetInt64());
            Assert.Equal(22, root.GetProperty("jti").GetString()!.Length);
        }

        using var logout = await Client.LogoutAsync(token);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var afterLogout = await Client.VerifyAsync(token);
        Expect.Challenged(afterLogout, "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked.\"");
        Assert.Equal("application/problem+json", afterLogout.Content.Headers.ContentType?.MediaType);

        // The token is revoked: a second logout with it is refused as verify refuses it.
        using var secondLogout = await Client.LogoutAsync(token);
        Expect.Challenged(secondLogout, "Bearer error=\"invalid_token\", error_description=\"The access token has been revoked.\"");
    }

    [Fact]
    public async Task Tokens_carry_the_registered_claims_and_a_stable_subject()
    {
        var username = AuthClient.NewUsername();
        var first = await Client.RegisterAndLoginAsync(username);
        using var second = await Client.LoginAsync(username, "correct horse battery");
        var secondToken = await second.AccessTokenAsync();

        var a = Payload(first);
        var b = Payload(secondToken);
        foreach (var claim in new[] { "iss", "aud", "sub", "username", "iat", "nbf", "exp", "jti" })
        {
            Assert.True(a.TryGetProperty(claim, out _), $"claim {claim} missing");
        }

        Assert.Equal(a.GetProperty("sub").GetString(), b.GetProperty("sub").GetString());
        Assert.NotEqual(username, a.GetProperty("sub").GetString());
        Assert.NotEqual(a.GetProperty("jti").GetString(), b.GetProperty("jti").GetString());
        var key = TestTokens.Read(signingKey);
        Assert.Equal(key.Algorithm, Header(first).GetProperty("alg").GetString());
        Assert.Equal(key.KeyId, Header(first).GetProperty("kid").GetString());
        Assert.Equal("at+jwt", Header(first).GetProperty("typ").GetString());
    }

    [Fact]
    public async Task Logging_out_one_token_leaves_the_users_other_tokens_valid()
    {
        var username = AuthClient.NewUsername();
        var first = await Client.RegisterAndLoginAsync(username);
        using var login = await Client.LoginAsync(username, "correct horse battery");
        var second = await login.AccessTokenAsync();

        using var logout = await Client.LogoutAsync(first);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var verifySecond = await Client.VerifyAsync(second);
        Assert.Equal(HttpStatusCode.OK, verifySecond.StatusCode);
    }

    [Fact]
    public async Task Taken_usernames_are_refused_whatever_their_case_or_padding()
    {
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username);

        using var again = await Client.RegisterAsync($"  {username.ToUpperInvariant()} ", "another password");
        Expect.Problem(again, HttpStatusCode.Conflict);

        using var login = await Client.LoginAsync(username.ToUpperInvariant(), "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Usernames_with_the_printable_characters_table_keys_forbid_register_and_log_in()
    {
        var username = "a/b\\c#d?e";
        using var registered = await Client.RegisterAsync(username, "correct horse battery");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var body = await registered.JsonAsync();
        Assert.Equal(username, body.RootElement.GetProperty("username").GetString());

        using var login = await Client.LoginAsync(username, "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var verified = await Client.VerifyAsync(await login.AccessTokenAsync());
        using var claims = await verified.JsonAsync();
        Assert.Equal(username, claims.RootElement.GetProperty("username").GetString());

        using var issueExample = await Client.RegisterAsync("a/b#c?", "correct horse battery");
        Assert.Equal(HttpStatusCode.Created, issueExample.StatusCode);
        using var issueLogin = await Client.LoginWithFormAsync("a/b#c?", "correct horse battery");
        Assert.Equal(HttpStatusCode.OK, issueLogin.StatusCode);
    }

    [Theory]
    [InlineData("a\u0001b")]
    [InlineData("a\u001Fb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0080b")]
    [InlineData("a\u009Fb")]
    public async Task Usernames_with_control_characters_are_refused(string username)
    {
        using var registered = await Client.RegisterAsync(username, "correct horse battery");
        Expect.Problem(registered, HttpStatusCode.BadRequest);
        using var problem = await registered.JsonAsync();
        Assert.StartsWith("The username contains a control character", problem.RootElement.GetProperty("errors").GetProperty("username")[0].GetString(), StringComparison.Ordinal);

        using var login = await Client.LoginAsync(username, "correct horse battery");
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answer()
    {
        var username = AuthClient.NewUsername();
        await Client.RegisterAndLoginAsync(username);

        using var wrongPassword = await Client.LoginAsync(username, "not the password");
        using var unknownUser = await Client.LoginAsync(AuthClient.NewUsername(), "not the password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownUser.StatusCode);
        Assert.Equal(wrongPassword.Challenge(), unknownUser.Challenge());
        Assert.Equal(wrongPassword.Content.Headers.ContentType, unknownUser.Content.Headers.ContentType);
        Assert.Equal(await wrongPassword.Content.ReadAsStringAsync(), await unknownUser.Content.ReadAsStringAsync());
        Assert.Contains("The username or password is incorrect.", await unknownUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_name_create_exactly_one_user()
    {
        var username = AuthClient.NewUsername();
        var attempts = Enumerable.Range(0, 20).Select(i => Client.RegisterAsync(username, $"password number {i}"));
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var winner = Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Created);
        using var login = await Client.LoginAsync(username, $"password number {winner}");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Health_answers_200_when_storage_answers()
    {
        using var health = await Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var body = await health.JsonAsync();
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Passwords_and_tokens_never_reach_the_logs()
    {
        var username = AuthClient.NewUsername();
        const string password = "a very secret passphrase";
        using (await Client.RegisterAsync(username, password))
        {
        }

        using var login = await Client.LoginAsync(username, password);
        var token = await login.AccessTokenAsync();
        using (await Client.LoginAsync(username, "typed-a-secret-in-the-wrong-field"))
        {
        }

        using (await Client.LoginAsync("typed-a-secret-in-the-wrong-field", password))
        {
        }

        using (await Client.VerifyAsync(token))
        {
        }

        using (await Client.LogoutAsync(token))
        {
        }

        using (await Client.VerifyAsync(token[..^4] + "AAAA"))
        {
        }

        Assert.NotEmpty(App.Logs.Lines);
        var signature = token.Split('.')[2];
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains("typed-a-secret-in-the-wrong-field", StringComparison.Ordinal));
        Assert.DoesNotContain(App.Logs.Lines, line => line.Contains(signature, StringComparison.Ordinal));
        Assert.Contains(App.Logs.Lines, line => line.Contains("logged in", StringComparison.Ordinal));
    }

    private static JsonElement Payload(string token) => Part(token, 1);

    private static JsonElement Header(string token) => Part(token, 0);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement;
}

public sealed class AuthFlowTestsHs256(StorageFixture storage) : AuthFlowTests(storage, TestKeys.Hs256);

public sealed class AuthFlowTestsEs256(StorageFixture storage) : AuthFlowTests(storage, TestKeys.Es256);
