using System.Net;
using System.Text.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Tokens;

/// <summary>
/// Rotation is configuration: the new key active and the old one previous, then the old one removed. Each app
/// below is one step of that, as a restarted instance would be.
/// </summary>
public sealed class KeyRotationTests(StorageFixture storage)
{
    [Fact]
    public async Task Tokens_of_the_previous_key_verify_until_it_is_removed()
    {
        var oldKey = TestKeys.NewEs256();
        var newKey = TestKeys.NewEs256();

        string oldToken;
        await using (var before = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(oldKey)))
        {
            using var client = before.CreateClient();
            oldToken = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        }

        await using (var during = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(newKey, oldKey)))
        {
            using var client = during.CreateClient();
            using (var verified = await client.VerifyAsync(oldToken))
            {
                Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
            }

            var newToken = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
            Assert.Equal(TestTokens.Read(newKey).KeyId, TestTokens.HeaderOf(newToken)["kid"]!.GetValue<string>());
            Assert.Equal([TestTokens.Read(newKey).KeyId, TestTokens.Read(oldKey).KeyId], await PublishedKeyIds(client));
        }

        await using var after = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(newKey));
        using var afterClient = after.CreateClient();
        using (var refused = await afterClient.VerifyAsync(oldToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("The access token is invalid.", refused.Challenge(), StringComparison.Ordinal);
        }

        Assert.Equal([TestTokens.Read(newKey).KeyId], await PublishedKeyIds(afterClient));
        var token = await afterClient.RegisterAndLoginAsync(AuthClient.NewUsername());
        using var accepted = await afterClient.VerifyAsync(token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Moving_from_HS256_to_ES256_keeps_HS256_tokens_valid_without_publishing_the_secret()
    {
        string hsToken;
        await using (var before = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Hs256)))
        {
            using var client = before.CreateClient();
            hsToken = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        }

        var esKey = TestKeys.NewEs256();
        await using var during = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(esKey, TestKeys.Hs256));
        using var duringClient = during.CreateClient();
        using var verified = await duringClient.VerifyAsync(hsToken);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.Equal([TestTokens.Read(esKey).KeyId], await PublishedKeyIds(duringClient));
    }

    private static async Task<string?[]> PublishedKeyIds(HttpClient client)
    {
        using var jwks = JsonDocument.Parse(await client.GetStringAsync(".well-known/jwks.json"));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString())];
    }
}
