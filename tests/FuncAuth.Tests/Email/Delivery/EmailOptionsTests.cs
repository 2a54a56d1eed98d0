using FuncAuth.Email;
using FuncAuth.Email.Delivery;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Email.Delivery;

/// <summary>Email settings are checked at start-up, each refusal naming its setting; and where email is configured at all.</summary>
public sealed class EmailOptionsTests(StorageFixture storage)
{
    private const string Development = "Development";
    private const string Production = "Production";

    // A relay password the messages must never repeat.
    private const string Password = "relay-password-never-shown";

    public static TheoryData<string, string, string, string> BadSettings() => new()
    {
        // setting, bad value, environment, what the message must say
        { "FuncAuth:Email:From", "Contoso <no-reply@contoso.test>", Development, "must be a plain email address" },
        { "FuncAuth:Email:From", "no-reply", Development, "must be a plain email address" },
        { "FuncAuth:Email:FromName", "Contoso\r\nBcc: victim@example.test", Development, "must be one line" },
        { "FuncAuth:Email:ProductName", "Contoso\nX-Injected: yes", Development, "must be one line" },
        { "FuncAuth:Email:ProductName", " ", Development, "must not be empty" },
        { "FuncAuth:Email:Smtp:Port", "0", Development, "between 1 and 65535" },
        { "FuncAuth:Email:Smtp:Port", "70000", Development, "between 1 and 65535" },
        { "FuncAuth:Email:Smtp:Port", "submission", Development, "must be a whole number" },
        { "FuncAuth:Email:Smtp:Security", "Plain", Development, "must be StartTls, SslOnConnect or None" },
        { "FuncAuth:Email:Smtp:Security", "None", Production, "accepted only in the Development environment" },
        { "FuncAuth:Email:Smtp:Host", "smtp example", Development, "must be a host name or an IP address" },
        { "FuncAuth:Email:ResetTokenLifetime", "00:00:00", Development, "must be positive" },
        { "FuncAuth:Email:ConfirmationTokenLifetime", "-01:00:00", Development, "must be positive" },
        { "FuncAuth:Email:ConfirmationTokenLifetime", "a day", Development, "must be a time span" },
        { "FuncAuth:Email:DeliveryDeadline", "00:00:00", Development, "must be positive" },
        { "FuncAuth:Email:DispatchInterval", "-00:00:01", Development, "must be positive" },
        { "FuncAuth:Email:DispatchInterval", "02:00:00", Development, "at most 01:00:00" },
        { "FuncAuth:Email:MaxMessagesPerAddressPerHour", "0", Development, "must be at least 1" },
        { "FuncAuth:Email:ConfirmEmailUrl", "http://app.contoso.test/confirm", Production, "must be an absolute https URL" },
        { "FuncAuth:Email:ResetPasswordUrl", "https://app.contoso.test/reset#here", Development, "must not have a fragment" },
        { "FuncAuth:Email:ResetPasswordUrl", "/reset", Development, "must be an absolute http or https URL" },
        { "FuncAuth:Email:PublicBaseUrl", "https://auth.contoso.test/?x=1", Development, "must not have a query" },
        { "FuncAuth:Email:PublicBaseUrl", "ftp://auth.contoso.test/", Production, "must be an absolute https URL" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_email_setting_stops_startup_naming_the_setting(string setting, string value, string environment, string expected)
    {
        var overrides = Relay();
        overrides[setting] = value;

        var error = await StartupFailure.MessageAsync(storage.ConnectionString, environment, overrides);

        Assert.Contains(setting, error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relay_without_a_sender_stops_startup()
    {
        var overrides = Relay();
        overrides["FuncAuth:Email:From"] = null;

        var error = await StartupFailure.MessageAsync(storage.ConnectionString, Production, overrides);

        Assert.Contains("FuncAuth:Email:From is required when FuncAuth:Email:Smtp:Host is set", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FuncAuth:Email:Smtp:Username")]
    [InlineData("FuncAuth:Email:Smtp:Password")]
    public async Task A_relay_username_without_a_password_or_the_reverse_stops_startup(string missing)
    {
        var overrides = Relay();
        overrides[missing] = null;

        var error = await StartupFailure.MessageAsync(storage.ConnectionString, Production, overrides);

        Assert.Contains("FuncAuth:Email:Smtp:Username and FuncAuth:Email:Smtp:Password go together", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Production, "StartTls")]
    [InlineData(Production, "SslOnConnect")]
    [InlineData(Development, "None")]
    public void A_sound_relay_is_accepted(string environment, string security)
    {
        var options = new EmailOptions
        {
            From = "no-reply@contoso.test",
            FromName = "Contoso",
            ConfirmEmailUrl = new Uri("https://app.contoso.test/confirm?lang=en"),
            PublicBaseUrl = new Uri("https://auth.contoso.test/"),
            Smtp = { Host = "smtp.azurecomm.net", Port = 587, Security = Enum.Parse<SmtpSecurity>(security), Username = "funcauth", Password = Password },
        };

        var result = new EmailOptionsValidator(new HostingEnvironment { EnvironmentName = environment }, Microsoft.Extensions.Options.Options.Create(new FuncAuth.Tokens.TokenOptions())).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(Production, null, false)]
    [InlineData(Production, "smtp.contoso.test", true)]
    [InlineData(Development, null, true)]
    [InlineData(Development, "127.0.0.1", true)]
    public void Email_is_configured_with_a_relay_or_in_development(string environment, string? host, bool configured)
    {
        var delivery = new EmailDelivery(
            Options.Create(new EmailOptions { Smtp = { Host = host } }), new HostingEnvironment { EnvironmentName = environment });

        Assert.Equal(configured, delivery.IsConfigured);
        Assert.Equal(host is not null, delivery.UsesSmtp);
        Assert.Equal(host is null && environment == Development, delivery.UsesPickupFolder);
    }

    [Fact]
    public void The_sample_email_settings_are_valid_in_development_and_send_to_eml_files()
    {
        using var sample = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(StorageFixture.RepositoryRoot, "local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => KeyValuePair.Create(p.Name.Replace("__", ":", StringComparison.Ordinal), p.Value.GetString()));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var folder = Directory.CreateTempSubdirectory("funcauth-sample-").FullName;
        try
        {
            using var provider = new ServiceCollection()
                .AddLogging()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Development, ContentRootPath = folder })
                .AddFuncAuth(configuration)
                .BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
            Assert.Equal(SmtpSecurity.StartTls, options.Smtp.Security);
            Assert.Equal(TimeSpan.FromDays(1), options.DeliveryDeadline);
            Assert.True(provider.GetRequiredService<EmailDelivery>().UsesPickupFolder);
            Assert.IsType<PickupFolderTransport>(provider.GetRequiredService<IMailTransport>());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string?> Relay() => new()
    {
        ["FuncAuth:Email:Smtp:Host"] = "smtp.contoso.test",
        ["FuncAuth:Email:Smtp:Username"] = "funcauth",
        ["FuncAuth:Email:Smtp:Password"] = Password,
        ["FuncAuth:Email:From"] = "no-reply@contoso.test",
    };
}
