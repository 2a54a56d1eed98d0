using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FuncAuth.Http;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Import;

/// <summary>The import endpoint as a client calls it, an administrator to call it with, and the stored rows to compare.</summary>
internal static class ImportApi
{
    public const string Password = "correct horse battery";

    public const string NdJson = "application/x-ndjson";

    /// <summary>
    /// An administrator's access token: a registered user given the admin role (default <c>funcauth-admin</c>) in its row,
    /// as <c>FuncAuth:Admin:BootstrapUsernames</c> or the admin API would, then signed in so the token carries the role.
    /// </summary>
    public static async Task<string> AdminTokenAsync(FuncAuthApp app, HttpClient client)
    {
        var username = "admin-" + Guid.NewGuid().ToString("N")[..12];
        using (var registered = await client.RegisterAsync(username, Password))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var users = app.Table("FuncAuth:Storage:UsersTableName");
        var row = (await UserRowAsync(app, username))!;
        await users.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Roles"] = "funcauth-admin" }, row.ETag, TableUpdateMode.Merge);

        using var login = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return await login.AccessTokenAsync();
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, HttpContent content, CancellationToken cancellationToken = default)
    {
        var request = AuthClient.WithBearer(HttpMethod.Post, FuncAuthRoutes.AdminUserImport, token);
        request.Content = content;
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static StringContent Body(string ndjson) => new(ndjson, Encoding.UTF8, NdJson);

    /// <summary>Imports the lines (one JSON object each) and answers the result lines, after checking the 200 and its media type.</summary>
    public static async Task<List<JsonElement>> ImportAsync(HttpClient client, string token, params string[] lines)
    {
        using var response = await PostAsync(client, token, Body(string.Join('\n', lines) + "\n"));
        return await ResultsAsync(response);
    }

    public static async Task<List<JsonElement>> ResultsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(NdJson, response.Content.Headers.ContentType?.MediaType);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    public static string Line(object fields) => JsonSerializer.Serialize(fields);

    public static string ResultOf(JsonElement result) => result.GetProperty("result").GetString()!;

    public static string? ErrorOf(JsonElement result) => result.TryGetProperty("error", out var error) ? error.GetString() : null;

    /// <summary>The stored user named <paramref name="username"/>, or null.</summary>
    public static async Task<TableEntity?> UserRowAsync(FuncAuthApp app, string username)
    {
        await foreach (var row in app.Table("FuncAuth:Storage:UsersTableName").QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Username eq {username}")))
        {
            return row;
        }

        return null;
    }

    /// <summary>Every row of the table as text (keys and properties, without the service's timestamp and ETag), sorted.</summary>
    public static async Task<List<string>> SnapshotAsync(TableClient table)
    {
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(string.Join("|", row.Where(p => p.Key is not ("Timestamp" or "odata.etag")).OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={(p.Value is DateTimeOffset t ? t.ToString("O") : p.Value)}")));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
