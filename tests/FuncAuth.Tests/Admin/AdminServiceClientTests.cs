using System.Net;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Admin;

/// <summary>
/// A service client may use the admin API with a client credentials token granted <c>funcauth.admin</c>, while it is still
/// registered with that scope; a token without the scope, or of a client no longer registered with it, is 403. Actions are
/// logged naming <c>client:&lt;client_id&gt;</c>. (Needs the client credentials grant of #24: tokens are minted by
/// <see cref="TokenIssuer.IssueForClient"/> and fetched from the token endpoint.)
/// </summary>
public sealed class AdminServiceClientTests(StorageFixture storage)
{
    private const string Ops = "ops-service";
    private const string OpsSecret = "ops-service-secret-0123456789";

    [Fact]
    public async Task A_client_granted_the_admin_scope_administers_users_and_is_named_in_the_events()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, ClientSettings(withAdminScope: true));
        using var client = app.CreateClient();
        var id = await client.RegisterUserAsync(AuthClient.NewUsername());

        using var token = await client.TokenAsync(
            ("grant_type", "client_credentials"), ("client_id", Ops), ("client_secret", OpsSecret), ("scope", "funcauth.admin"));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var access = await token.AccessTokenAsync();

        using (var listed = await client.ListAsync(access))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        using (var disabled = await client.PatchUserAsync(access, id, new { disabled = true }))
        {
            Assert.True((await disabled.UserAsync()).GetProperty("disabled").GetBoolean());
        }

        Assert.Contains(app.Logs.Lines, l => l.Contains($"Administrator client:{Ops} changed user {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_token_without_the_scope_or_of_a_client_no_longer_allowed_it_is_403()
    {
        await using var allowed = new FuncAuthApp(storage.ConnectionString, ClientSettings(withAdminScope: true));
        var issuer = allowed.Services.GetRequiredService<TokenIssuer>();
        var withScope = issuer.IssueForClient(Ops, "funcauth.admin").Token;
        var withoutScope = issuer.IssueForClient(Ops, "orders.read").Token;
        var ghost = issuer.IssueForClient("no-such-client", "funcauth.admin").Token;
        using var client = allowed.CreateClient();
        using (var ok = await client.ListAsync(withScope))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        foreach (var refused in new[] { withoutScope, ghost })
        {
            using var response = await client.ListAsync(refused);
            Expect.Problem(response, HttpStatusCode.Forbidden);
            Assert.StartsWith("Bearer error=\"insufficient_scope\"", response.Challenge(), StringComparison.Ordinal);
        }

        // The same client, configured again without the scope: its token is refused at once.
        var settings = ClientSettings(withAdminScope: false);
        foreach (var table in FuncAuthApp.TableSettings)
        {
            settings[table] = allowed.Setting(table);
        }

        await using var narrowed = new FuncAuthApp(storage.ConnectionString, settings) { DeleteTablesOnDispose = false };
        using var narrowedClient = narrowed.CreateClient();
        using var gone = await narrowedClient.ListAsync(withScope);
        Expect.Problem(gone, HttpStatusCode.Forbidden);
        Assert.Contains("no longer registered", gone.Challenge(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> ClientSettings(bool withAdminScope)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:SigningKey"] = TestKeys.Es256,
            ["FuncAuth:Clients:0:ClientId"] = Ops,
            ["FuncAuth:Clients:0:ClientSecret"] = OpsSecret,
            ["FuncAuth:Clients:0:AllowedGrantTypes:0"] = "client_credentials",
        };
        settings["FuncAuth:Clients:0:AllowedScopes:0"] = "orders.read";
        if (withAdminScope)
        {
            settings["FuncAuth:Clients:0:AllowedScopes:1"] = "funcauth.admin";
        }

        return settings;
    }
}
