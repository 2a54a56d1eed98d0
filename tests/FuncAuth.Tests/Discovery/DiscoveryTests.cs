using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Discovery;

/// <summary>
/// The JWKS (RFC 7517) and the metadata documents (RFC 8414, OpenID discovery): what they publish, what they
/// never publish, and how they are cached.
/// </summary>
public sealed class DiscoveryTests(StorageFixture storage)
{
    private static readonly string[] PublicMembers = ["kty", "use", "alg", "kid", "crv", "x", "y", "n", "e"];

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task The_jwks_holds_the_public_key_and_nothing_private(string algorithm)
    {
        var key = algorithm == "ES256" ? TestKeys.Es256 : TestKeys.Rs256;
        await using var app = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(key));
        using var client = app.CreateClient();

        using var response = await client.GetAsync(".well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        using var body = await response.JsonAsync();
        var jwk = Assert.Single(body.RootElement.GetProperty("keys").EnumerateArray());
        var members = jwk.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.All(members, m => Assert.Contains(m, PublicMembers));
        Assert.Equal(algorithm, jwk.GetProperty("alg").GetString());
        Assert.Equal("sig", jwk.GetProperty("use").GetString());
        Assert.Equal(algorithm == "ES256" ? "EC" : "RSA", jwk.GetProperty("kty").GetString());
        Assert.Equal(TestTokens.Read(key).KeyId, jwk.GetProperty("kid").GetString());

        var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        Assert.Equal(jwk.GetProperty("kid").GetString(), TestTokens.HeaderOf(token)["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task No_private_or_symmetric_member_is_ever_published()
    {
        // Active ES256, previous RS256 and HS256: two public keys, and the secret one not at all.
        await using var app = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Es256, TestKeys.Rs256, TestKeys.Hs256));
        using var client = app.CreateClient();
        var text = await client.GetStringAsync(".well-known/jwks.json");
        using var body = JsonDocument.Parse(text);

        var keys = body.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(["ES256", "RS256"], keys.Select(k => k.GetProperty("alg").GetString()));
        foreach (var member in new[] { "d", "p", "q", "dp", "dq", "qi", "k", "oth" })
        {
            Assert.All(keys, k => Assert.False(k.TryGetProperty(member, out _), $"'{member}' published"));
        }

        Assert.DoesNotContain("\"oct\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestTokens.Read(TestKeys.Hs256).KeyId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_HS256_only_deployment_publishes_an_empty_set()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Hs256));
        using var client = app.CreateClient();
        using var response = await client.GetAsync(".well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"keys\":[]}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_jwks_is_publicly_cacheable_and_revalidates_with_its_etag()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>(TestKeys.Active(TestKeys.Es256))
        {
            ["FuncAuth:Tokens:KeySetCacheDuration"] = "00:10:00",
        });
        using var client = app.CreateClient();

        using var first = await client.GetAsync(".well-known/jwks.json");
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromMinutes(10), first.Headers.CacheControl?.MaxAge);
        Assert.False(first.Headers.CacheControl?.NoStore);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);

        foreach (var ifNoneMatch in new[] { etag.Tag, $"W/{etag.Tag}", $"\"other\", {etag.Tag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/jwks.json");
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var revalidated = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, revalidated.Headers.ETag);
            Assert.True(revalidated.Headers.CacheControl?.Public);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, ".well-known/jwks.json");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"an-older-key-set\""));
        using var changed = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await changed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_key_set_has_another_etag()
    {
        await using var a = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Es256));
        await using var b = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Es256, TestKeys.Rs256));
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        using var responseA = await clientA.GetAsync(".well-known/jwks.json");
        using var responseB = await clientB.GetAsync(".well-known/jwks.json");
        Assert.NotEqual(responseA.Headers.ETag, responseB.Headers.ETag);
    }

    [Fact]
    public async Task Both_metadata_documents_are_one_document_pointing_at_the_jwks()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Es256, TestKeys.Hs256));
        using var client = app.CreateClient();

        using var openId = await client.GetAsync(".well-known/openid-configuration");
        using var oauth = await client.GetAsync(".well-known/oauth-authorization-server");
        Assert.Equal(HttpStatusCode.OK, openId.StatusCode);
        Assert.Equal("application/json", openId.Content.Headers.ContentType?.MediaType);
        Assert.True(openId.Headers.CacheControl?.Public);
        var text = await openId.Content.ReadAsStringAsync();
        Assert.Equal(text, await oauth.Content.ReadAsStringAsync());

        using var metadata = JsonDocument.Parse(text);
        var root = metadata.RootElement;
        Assert.Equal(FuncAuthApp.Issuer, root.GetProperty("issuer").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/.well-known/jwks.json", root.GetProperty("jwks_uri").GetString());
        // ID tokens are checked with a published key: the HS256 key (a secret) signs no ID token a client could check.
        Assert.Equal(["ES256"], root.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["client_secret_basic", "client_secret_post", "none"], root.GetProperty("token_endpoint_auth_methods_supported").EnumerateArray().Select(a => a.GetString()));

        // No client is registered here: no authorization_code grant to serve (see OpenIdConnect/DiscoveryMetadataTests).
        Assert.Equal(["password", "refresh_token", "urn:funcauth:grant-type:mfa"], root.GetProperty("grant_types_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/token", root.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{FuncAuthApp.Issuer}/api/auth/revoke", root.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["none"], root.GetProperty("revocation_endpoint_auth_methods_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("sid", root.GetProperty("claims_supported").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("username", root.GetProperty("claims_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task With_an_issuer_that_is_not_a_url_the_documents_name_the_address_they_were_asked_at()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Tokens:Issuer"] = "funcauth" });
        using var client = app.CreateClient();
        using var metadata = JsonDocument.Parse(await client.GetStringAsync(".well-known/openid-configuration"));
        Assert.Equal("funcauth", metadata.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(client.BaseAddress!, ".well-known/jwks.json").ToString(), metadata.RootElement.GetProperty("jwks_uri").GetString());
    }
}
