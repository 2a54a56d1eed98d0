using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace FuncAuth.Tests.Mfa;

/// <summary>What the TOTP tests share: an app with a key and a fake clock, the calls, and codes computed from the secret.</summary>
internal static class TotpClient
{
    public const string Password = "correct horse battery";

    /// <summary>base64 of 32 bytes: the key the test apps encrypt TOTP secrets with.</summary>
    public const string EncryptionKey = "dGVzdC10b3RwLWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=";

    public const string OtherKey = "b3RoZXItdG90cC1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=";

    /// <summary>A clock 5 seconds into a 30-second step: every code computed at it stays in that step until advanced.</summary>
    public static FakeTimeProvider Clock()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() - (now.ToUnixTimeSeconds() % 30) + 5));
    }

    public static FuncAuthApp App(StorageFixture storage, FakeTimeProvider clock, IDictionary<string, string?>? more = null, bool deleteTablesOnDispose = true)
    {
        var settings = new Dictionary<string, string?> { ["FuncAuth:Mfa:EncryptionKey"] = EncryptionKey };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new FuncAuthApp(storage.ConnectionString, settings) { Time = clock, DeleteTablesOnDispose = deleteTablesOnDispose };
    }

    /// <summary>The code of <paramref name="secret"/> (base32) at <paramref name="at"/>.</summary>
    public static string Code(string secret, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at.UtcDateTime);

    public static Task<HttpResponseMessage> EnrolAsync(this HttpClient client, string access, string password = Password) =>
        client.SendAsync(With(HttpMethod.Post, "api/auth/mfa/totp", access, new { password }));

    public static Task<HttpResponseMessage> ConfirmTotpAsync(this HttpClient client, string access, string code) =>
        client.SendAsync(With(HttpMethod.Post, "api/auth/mfa/totp/confirm", access, new { code }));

    public static Task<HttpResponseMessage> DisableTotpAsync(this HttpClient client, string access, string code, string password = Password) =>
        client.SendAsync(With(HttpMethod.Delete, "api/auth/mfa/totp", access, new { password, code }));

    public static Task<HttpResponseMessage> SecondFactorAsync(this HttpClient client, string mfaToken, string? code = null, string? recoveryCode = null) =>
        client.PostAsJsonAsync("api/auth/login/mfa", code is not null ? (object)new { mfa_token = mfaToken, code } : new { mfa_token = mfaToken, recovery_code = recoveryCode });

    /// <summary>Registers, logs in, enrols and confirms: the access token, the secret and the recovery codes.</summary>
    public static async Task<(string Access, string Secret, string[] RecoveryCodes)> RegisterWithTotpAsync(this HttpClient client, string username, TimeProvider clock, string? access = null)
    {
        access ??= await client.RegisterAndLoginAsync(username, Password);
        var secret = await client.BeginAsync(access);
        using var confirmed = await client.ConfirmTotpAsync(access, Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        using var json = await confirmed.JsonAsync();
        return (access, secret, [.. json.RootElement.GetProperty("recovery_codes").EnumerateArray().Select(c => c.GetString()!)]);
    }

    /// <summary>Begins enrolment; answers the secret.</summary>
    public static async Task<string> BeginAsync(this HttpClient client, string access)
    {
        using var enrolled = await client.EnrolAsync(access);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        using var json = await enrolled.JsonAsync();
        return json.RootElement.GetProperty("secret").GetString()!;
    }

    /// <summary>Logs in with the password, which must answer mfa_required; answers the mfa token.</summary>
    public static async Task<string> MfaTokenAsync(this HttpClient client, string username, string password = Password)
    {
        using var login = await client.LoginAsync(username, password);
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        using var json = await login.JsonAsync();
        Assert.Equal("mfa_required", json.RootElement.GetProperty("error").GetString());
        return json.RootElement.GetProperty("mfa_token").GetString()!;
    }

    /// <summary>The payload of a JWT.</summary>
    public static JsonElement Payload(string jwt) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1])).RootElement.Clone();

    public static string[] Amr(string jwt) => [.. Payload(jwt).GetProperty("amr").EnumerateArray().Select(a => a.GetString()!)];

    private static HttpRequestMessage With(HttpMethod method, string path, string access, object body)
    {
        var request = AuthClient.WithBearer(method, path, access);
        request.Content = JsonContent.Create(body);
        return request;
    }
}
