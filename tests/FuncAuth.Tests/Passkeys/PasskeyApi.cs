using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Passkeys;

/// <summary>The passkey endpoints over HTTP, as a web app's script would call them.</summary>
internal static class PasskeyApi
{
    /// <summary>The origin and RP id every test app derives from <see cref="FuncAuthApp.Issuer"/>.</summary>
    public const string Origin = FuncAuthApp.Issuer;

    public const string RpId = "funcauth.test";

    public static async Task<string> RegistrationOptionsAsync(this HttpClient client, string token)
    {
        using var response = await client.SendAsync(AuthClient.WithBearer(HttpMethod.Post, "api/auth/passkeys/options", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static Task<HttpResponseMessage> RegisterPasskeyAsync(this HttpClient client, string token, string credentialJson, string? name = null)
    {
        var body = new JsonObject { ["credential"] = JsonNode.Parse(credentialJson) };
        if (name is not null)
        {
            body["name"] = name;
        }

        var request = AuthClient.WithBearer(HttpMethod.Post, "api/auth/passkeys", token);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return client.SendAsync(request);
    }

    /// <summary>Options, attestation, registration: the passkey's id (base64url), after checking the 201.</summary>
    public static async Task<string> AddPasskeyAsync(this HttpClient client, string token, SoftwareAuthenticator authenticator, string? name = null)
    {
        var options = await client.RegistrationOptionsAsync(token);
        using var response = await client.RegisterPasskeyAsync(token, authenticator.CreateAttestationJson(options), name);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = await response.JsonAsync();
        return json.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<string> LoginOptionsAsync(this HttpClient client)
    {
        using var response = await client.PostAsync("api/auth/passkeys/login/options", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static Task<HttpResponseMessage> PasskeyLoginAsync(this HttpClient client, string assertionJson) =>
        client.PostAsync("api/auth/passkeys/login", new StringContent(assertionJson, Encoding.UTF8, "application/json"));

    /// <summary>Options, assertion, sign-in: the response (not checked).</summary>
    public static async Task<HttpResponseMessage> SignInWithAsync(this HttpClient client, SoftwareAuthenticator authenticator) =>
        await client.PasskeyLoginAsync(authenticator.CreateAssertionJson(await client.LoginOptionsAsync()));

    public static Task<HttpResponseMessage> ListPasskeysAsync(this HttpClient client, string token) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, "api/auth/passkeys", token));

    public static Task<HttpResponseMessage> DeletePasskeyAsync(this HttpClient client, string token, string id) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Delete, "api/auth/passkeys/" + id, token));

    /// <summary>A new user with a session: (access token, user id).</summary>
    public static async Task<(string Token, string UserId)> NewUserAsync(this HttpClient client)
    {
        var token = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        using var verify = await client.VerifyAsync(token);
        using var json = await verify.JsonAsync();
        return (token, json.RootElement.GetProperty("sub").GetString()!);
    }

    public static async Task<string?> DetailAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return json.RootElement.GetProperty("detail").GetString();
    }

    public static async Task<string[]> AmrAsync(this HttpClient client, string accessToken)
    {
        using var verify = await client.VerifyAsync(accessToken);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        using var json = await verify.JsonAsync();
        return [.. json.RootElement.GetProperty("amr").EnumerateArray().Select(e => e.GetString()!)];
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
