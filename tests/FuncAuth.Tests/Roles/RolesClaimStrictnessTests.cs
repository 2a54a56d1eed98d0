using System.Net;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Roles;

/// <summary>
/// The <c>roles</c> claim is read strictly, like <c>amr</c>: a token signed with the real key whose roles are anything but
/// a non-empty array of distinct valid role names (at most 32) is refused whole, never read as "no roles".
/// </summary>
public sealed class RolesClaimStrictnessTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString, TestKeys.Active(TestKeys.Es256)))
{
    public static TheoryData<string> Refused() =>
    [
        "a string", "an empty array", "an object", "null", "a number in the array", "an empty name", "a name with a space",
        "a name starting with a dot", "a name of 65 characters", "a duplicate", "33 roles",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Is_refused(string change)
    {
        using var response = await Client.VerifyAsync(Token(RolesFor(change)));
        Expect.Challenged(response, "Bearer error=\"invalid_token\", error_description=\"The access token is invalid.\"");
    }

    [Fact]
    public async Task Valid_roles_are_accepted_and_answered_by_verify()
    {
        var roles = new JsonArray("reports", "funcauth-admin", "a.b_c:d-1", new string('r', 64));
        using var response = await Client.VerifyAsync(Token(roles));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await response.JsonAsync();
        Assert.Equal(["reports", "funcauth-admin", "a.b_c:d-1", new string('r', 64)], json.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    private static JsonNode? RolesFor(string change) => change switch
    {
        "a string" => JsonValue.Create("reports"),
        "an empty array" => new JsonArray(),
        "an object" => new JsonObject { ["reports"] = true },
        "null" => null,
        "a number in the array" => new JsonArray("reports", 1),
        "an empty name" => new JsonArray("reports", string.Empty),
        "a name with a space" => new JsonArray("reports admin"),
        "a name starting with a dot" => new JsonArray(".reports"),
        "a name of 65 characters" => new JsonArray(new string('r', 65)),
        "a duplicate" => new JsonArray("reports", "reports"),
        "33 roles" => new JsonArray([.. Enumerable.Range(0, 33).Select(i => (JsonNode?)JsonValue.Create($"role{i}"))]),
        _ => throw new ArgumentException(change),
    };

    private static string Token(JsonNode? roles)
    {
        var claims = TestTokens.Claims(DateTimeOffset.UtcNow);
        claims["roles"] = roles;
        return TestTokens.Sign(TestTokens.Header(TestKeys.Es256), claims, TestKeys.Es256);
    }
}
