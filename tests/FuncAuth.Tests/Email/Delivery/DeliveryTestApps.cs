using Azure;
using Azure.Data.Tables;
using FuncAuth.Email;
using FuncAuth.Email.Delivery;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace FuncAuth.Tests.Email.Delivery;

/// <summary>Apps that send to a <see cref="TestSmtpServer"/> what <see cref="TestComposer"/> composes, with short retry delays.</summary>
internal static class DeliveryTestApps
{
    public static readonly OutboxTiming FastTiming = new()
    {
        FirstRetryDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        ClaimLease = TimeSpan.FromSeconds(30),
        SendTimeout = TimeSpan.FromSeconds(10),
    };

    public static FuncAuthApp Create(
        string connectionString,
        IDictionary<string, string?> settings,
        FakeTimeProvider? time = null,
        bool deleteTables = true,
        string environment = "Development",
        Action<IServiceCollection>? moreServices = null) =>
        new(connectionString, settings, environment)
        {
            Time = time,
            DeleteTablesOnDispose = deleteTables,
            TestServices = services =>
            {
                // The last registration wins: the lead's composer is registered with TryAdd.
                services.AddSingleton<IOutboxComposer, TestComposer>();
                services.AddSingleton(FastTiming);
                moreServices?.Invoke(services);
            },
        };

    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, params (string Key, string? Value)[] more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The table names of <paramref name="app"/>, so a second app works on the same tables.</summary>
    public static Dictionary<string, string?> SameTables(FuncAuthApp app, Dictionary<string, string?> settings)
    {
        foreach (var key in FuncAuthApp.TableSettings)
        {
            settings[key] = app.Setting(key);
        }

        return settings;
    }

    public static EmailOutbox Outbox(this FuncAuthApp app) => app.Services.GetRequiredService<EmailOutbox>();

    public static OutboxMessage Message(string recipient, string subject, string? secret = null, bool drop = false, int failures = 0)
    {
        var data = new Dictionary<string, string> { ["subject"] = subject };
        if (failures > 0)
        {
            data["fail"] = failures.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (secret is not null)
        {
            data["secret"] = secret;
        }

        if (drop)
        {
            data["drop"] = "yes";
        }

        return new OutboxMessage(OutboxKinds.PasswordChanged, recipient, data);
    }

    public static string NewRecipient() => $"user-{Guid.NewGuid():N}@example.test";

    /// <summary>The outbox's message rows (none when the table does not exist yet).</summary>
    public static async Task<List<TableEntity>> OutboxRowsAsync(this FuncAuthApp app)
    {
        try
        {
            var rows = new List<TableEntity>();
            await foreach (var row in app.Table("FuncAuth:Storage:OutboxTableName").QueryAsync<TableEntity>($"PartitionKey eq '{OutboxStore.Partition}'"))
            {
                rows.Add(row);
            }

            return rows;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>
/// Composes from the message's data: its <c>subject</c>, a text part carrying its <c>secret</c> (standing for a link's
/// token), an HTML part; null (nothing to send) when it has <c>drop</c>; it throws the first <c>fail</c> times it is asked.
/// </summary>
internal sealed class TestComposer : IOutboxComposer
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public Task<EmailContent?> ComposeAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var call = _calls.AddOrUpdate(message.Recipient, 1, (_, n) => n + 1);
        if (message.Data.TryGetValue("fail", out var failures) && call <= int.Parse(failures, System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"Simulated composer failure for {message.Recipient}.");
        }

        return Compose(message);
    }

    private static Task<EmailContent?> Compose(OutboxMessage message) =>
        Task.FromResult(message.Data.ContainsKey("drop")
            ? null
            : new EmailContent(
                message.Data.GetValueOrDefault("subject") ?? message.Kind,
                $"Hello {message.Recipient}. Secret: {message.Data.GetValueOrDefault("secret")}",
                $"<p>Hello {message.Recipient}. Secret: {message.Data.GetValueOrDefault("secret")}</p>"));
}

/// <summary>Fails every insert into the outbox table as a storage outage would, while <see cref="Failing"/>.</summary>
internal sealed class OutboxWriteFault(Func<string> outboxTable) : InspectingPolicy
{
    public bool Failing { get; set; } = true;

    protected override void Inspect(Azure.Core.HttpMessage message)
    {
        if (Failing && message.Request.Method == Azure.Core.RequestMethod.Post
            && message.Request.Uri.Path.EndsWith("/" + outboxTable(), StringComparison.Ordinal))
        {
            throw new IOException("Simulated: the outbox table cannot be reached.");
        }
    }
}
