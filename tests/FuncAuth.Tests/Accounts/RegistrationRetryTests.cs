using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Accounts;

/// <summary>
/// The storage SDK retries an insert whose response was lost; the retry then meets the row its first try wrote.
/// That is the same registration succeeding, not someone else holding the name.
/// </summary>
public sealed class RegistrationRetryTests(StorageFixture storage)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task A_registration_whose_insert_is_retried_after_a_lost_response_answers_201()
    {
        var policy = new LoseFirstInsertResponse();
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            TestServices = services => services.AddSingleton<HttpPipelinePolicy>(policy),
        };
        policy.Table = app.Setting("FuncAuth:Storage:UsersTableName");
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();

        using var registered = await client.RegisterAsync(username, Password);
        Assert.Equal(2, policy.Lost);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        using var body = await registered.JsonAsync();
        var id = body.RootElement.GetProperty("id").GetString();
        Assert.Equal(id, await StoredIdAsync(app));

        // Someone else's registration of the name is still a conflict.
        using var again = await client.RegisterAsync(username, "another password");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var login = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private static async Task<string?> StoredIdAsync(FuncAuthApp app)
    {
        var ids = new List<string?>();
        await foreach (var user in app.Table("FuncAuth:Storage:UsersTableName").QueryAsync<TableEntity>(e => e.RowKey == "account"))
        {
            ids.Add(user.GetString("Id"));
        }

        return Assert.Single(ids);
    }

    /// <summary>
    /// Lets the first two inserts into the table reach storage (the id's index row, then the account), then loses each
    /// response, as a dropped connection would.
    /// </summary>
    private sealed class LoseFirstInsertResponse : HttpPipelinePolicy
    {
        private int _lost;

        public string Table { get; set; } = string.Empty;

        public int Lost => _lost;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            ProcessNext(message, pipeline);
            LoseIfFirstInsert(message);
        }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            LoseIfFirstInsert(message);
        }

        private void LoseIfFirstInsert(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Post
                && message.Request.Uri.Path.EndsWith("/" + Table, StringComparison.Ordinal)
                && message.Response.Status is 201 or 204
                && Volatile.Read(ref _lost) < 2
                && Interlocked.Increment(ref _lost) <= 2)
            {
                throw new IOException("The connection was reset before the response arrived.");
            }
        }
    }
}
