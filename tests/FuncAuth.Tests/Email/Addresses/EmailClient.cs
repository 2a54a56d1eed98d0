using System.Net.Http.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Email.Addresses;

/// <summary>The calls of the address tests: register with an address, read the caller's profile.</summary>
internal static class EmailClient
{
    public const string Password = "correct horse battery";

    public static Task<HttpResponseMessage> RegisterWithEmailAsync(this HttpClient client, string username, string? email, string password = Password) =>
        client.PostAsJsonAsync("api/auth/register", new { username, password, email });

    public static Task<HttpResponseMessage> AccountAsync(this HttpClient client, string token) =>
        client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, "api/auth/account", token));

    /// <summary>A fresh address on a reserved domain (RFC 2606), unique to the test.</summary>
    public static string NewAddress(string domain = "example.com") => $"user.{Guid.NewGuid():N}"[..20] + "@" + domain;

    /// <summary>The <c>errors</c> member of a validation problem: the fields it names.</summary>
    public static async Task<IReadOnlyList<string>> InvalidFieldsAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return json.RootElement.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateObject().Select(e => e.Name)] : [];
    }

    public static async Task<string?> DetailAsync(this HttpResponseMessage response)
    {
        using var json = await response.JsonAsync();
        return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
    }
}
