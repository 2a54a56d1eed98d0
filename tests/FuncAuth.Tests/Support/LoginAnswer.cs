using System.Net;

namespace FuncAuth.Tests.Support;

/// <summary>
/// Everything a client sees of a login answer but the Date header: lockout tests compare these whole, so a locked
/// account cannot be told from a wrong password by any header or byte of the body.
/// </summary>
internal sealed record LoginAnswer(HttpStatusCode Status, string Headers, string Body)
{
    public static async Task<LoginAnswer> OfAsync(HttpClient client, string username, string password)
    {
        using var response = await client.LoginAsync(username, password);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}")
            .Order(StringComparer.Ordinal);
        return new LoginAnswer(response.StatusCode, string.Join("\n", headers), await response.Content.ReadAsStringAsync());
    }
}
