using System.Net;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using FuncAuth.Tokens;

namespace FuncAuth.Tests.Hosting;

/// <summary>A key under FuncAuth: that nothing reads (a typo, most likely) stops start-up, naming the nearest real one.</summary>
public sealed class UnknownSettingsTests(StorageFixture storage)
{
    private static SettingNames Names() => SettingNames.From(
        [new BoundSection(TokenOptions.SectionName, typeof(TokenOptions)), new BoundSection(LockoutOptions.SectionName, typeof(LockoutOptions))],
        ["FuncAuth:LocalDataPath"]);

    [Theory]
    [InlineData("FuncAuth:Tokens:AccesTokenLifetime", "FuncAuth:Tokens:AccessTokenLifetime")]
    [InlineData("FuncAuth:Tokens:accestokenlifetime", "FuncAuth:Tokens:AccessTokenLifetime")]
    [InlineData("FuncAuth:Tokens:Isuer", "FuncAuth:Tokens:Issuer")]
    [InlineData("FuncAuth:Tokens:PreviousSigningKey:0", "FuncAuth:Tokens:PreviousSigningKeys:0")]
    [InlineData("FuncAuth:Lockout:MaxFailedAttemps", "FuncAuth:Lockout:MaxFailedAttempts")]
    [InlineData("FuncAuth:Lockot:LockoutDuration", "FuncAuth:Lockout:LockoutDuration")]
    [InlineData("FuncAuth:LocalDataPat", "FuncAuth:LocalDataPath")]
    public void The_nearest_known_setting_is_suggested(string typo, string suggestion) =>
        Assert.Equal($"{typo} is not a FuncAuth setting; did you mean {suggestion}?", Names().Refusal(typo, "x", hasChildren: false));

    [Theory]
    [InlineData("FuncAuth:Tokens:AccessTokenLifetime", "00:05:00", false)]
    [InlineData("funcauth:TOKENS:accesstokenlifetime", "00:05:00", false)] // configuration keys are case-insensitive
    [InlineData("FuncAuth:Tokens:PreviousSigningKeys:0", "key", false)]
    [InlineData("FuncAuth:tokens:previoussigningkeys:12", "key", false)]
    [InlineData("FuncAuth:Tokens:PreviousSigningKeys", null, true)]
    [InlineData("FuncAuth:Tokens", null, true)]
    [InlineData("FuncAuth:Tokens", "", false)] // an empty group, as an empty JSON object gives
    [InlineData("FuncAuth", null, true)]
    [InlineData("FuncAuth:LocalDataPath", "/data", false)]
    public void Keys_that_are_read_are_accepted(string key, string? value, bool hasChildren) =>
        Assert.Null(Names().Refusal(key, value, hasChildren));

    [Fact]
    public void A_single_value_for_a_list_is_refused_with_the_form_a_list_takes() =>
        Assert.Equal(
            "FuncAuth:Tokens:PreviousSigningKeys is a list: set FuncAuth:Tokens:PreviousSigningKeys:0, FuncAuth:Tokens:PreviousSigningKeys:1, … " +
            "(app settings FuncAuth__Tokens__PreviousSigningKeys__0, __1, …).",
            Names().Refusal("FuncAuth:Tokens:PreviousSigningKeys", "key", hasChildren: false));

    [Fact]
    public void A_value_given_to_a_group_is_refused() =>
        Assert.StartsWith("FuncAuth:Tokens is a group of settings, not a setting", Names().Refusal("FuncAuth:Tokens", "x", hasChildren: false), StringComparison.Ordinal);

    [Fact]
    public void Every_settable_property_of_a_bound_options_class_is_known_without_a_list()
    {
        var names = SettingNames.From([new BoundSection("FuncAuth:Example", typeof(ExampleOptions))], []);
        Assert.Equal(
            ["FuncAuth:Example:Enabled", "FuncAuth:Example:Limit", "FuncAuth:Example:Names:0", "FuncAuth:Example:Nested:Window", "FuncAuth:Example:When"],
            names.Suggestions.Order(StringComparer.Ordinal));
        Assert.NotNull(names.Refusal("FuncAuth:Example:Computed", "x", hasChildren: false));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Issuer", "ISSUER", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("AccesTokenLifetime", "AccessTokenLifetime", 1)]
    public void Distance_counts_single_character_edits_ignoring_case(string a, string b, int expected) =>
        Assert.Equal(expected, SettingNames.Distance(a, b));

    [Fact]
    public async Task A_misspelt_setting_stops_startup_naming_it_and_the_nearest_setting()
    {
        var error = await StartupFailure.MessageAsync(storage.ConnectionString, StartupFailure.Development, new Dictionary<string, string?>
        {
            ["FuncAuth:Tokens:AccesTokenLifetime"] = "00:05:00",
        });
        Assert.Contains("FuncAuth:Tokens:AccesTokenLifetime is not a FuncAuth setting; did you mean FuncAuth:Tokens:AccessTokenLifetime?", error, StringComparison.Ordinal);
        Assert.DoesNotContain("00:05:00", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_in_any_case_and_those_the_hosts_read_themselves_start()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?>
        {
            ["funcauth:lockout:maxfailedattempts"] = "7",
            ["FuncAuth:Tokens:PreviousSigningKeys:0"] = TestKeys.Es256,
            ["FuncAuth:Benchmark:BareEndpoint"] = "true",
            ["FuncAuth:LocalDataPath"] = Path.GetTempPath(),
            ["FuncAuth:Docs:Enabled"] = "false",
        });
        using var client = app.CreateClient();
        using var health = await client.GetAsync(new Uri("api/health", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private sealed class ExampleOptions
    {
        public bool Enabled { get; set; }

        public int? Limit { get; set; }

        public TimeSpan When { get; set; }

        public IList<string> Names { get; } = [];

        public NestedOptions Nested { get; set; } = new();

        public string Computed { get; } = "read only";
    }

    private sealed class NestedOptions
    {
        public TimeSpan Window { get; set; }
    }
}
