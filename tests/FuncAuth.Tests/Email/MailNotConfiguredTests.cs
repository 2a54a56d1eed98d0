using System.Net;
using System.Net.Http.Json;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Email;

/// <summary>
/// Outside Development with no SMTP relay, email is off: the endpoints that exist to send mail answer 404 (a problem),
/// before they are throttled, authenticated or read, and never write a message nobody would send.
/// </summary>
public sealed class MailNotConfiguredTests(StorageFixture storage)
{
    [Theory]
    [InlineData("api/auth/password/forgot")]
    [InlineData("api/auth/email/resend")]
    [InlineData("api/auth/email")]
    public async Task The_endpoints_that_send_mail_answer_404_without_a_relay(string route)
    {
        // Storage is unreachable on purpose: the answer comes before any storage request.
        await using var app = new FuncAuthApp(storage.ConnectionString, FuncAuthApp.UnreachableProductionStorage(), environment: "Production")
        {
            DeleteTablesOnDispose = false,
        };
        using var client = app.CreateClient();
        using var response = await client.PostAsJsonAsync(route, new { email = "someone@example.com" }, TestContext.Current.CancellationToken);

        Expect.Problem(response, HttpStatusCode.NotFound);
        Assert.Contains("not configured", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
