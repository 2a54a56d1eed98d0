using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Email;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Email.Addresses;

/// <summary>register with an address, the profile that shows it, and an address held by one account at a time.</summary>
public sealed class RegistrationWithEmailTests(StorageFixture storage) : AppTests(new FuncAuthApp(storage.ConnectionString))
{
    [Fact]
    public async Task A_new_account_shows_its_address_unconfirmed_in_the_profile()
    {
        var username = AuthClient.NewUsername();
        var before = DateTimeOffset.UtcNow;
        string id;
        using (var registered = await Client.RegisterWithEmailAsync(username, "Mixed.Case+tag@Example.COM"))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            using var body = await registered.JsonAsync();
            id = body.RootElement.GetProperty("id").GetString()!;

            // register's answer is as it was: id and username, nothing about the address.
            Assert.Equal(["id", "username"], body.RootElement.EnumerateObject().Select(p => p.Name));
        }

        var (access, _) = await Client.StartSessionAsync(username, EmailClient.Password);
        using var profile = await Client.AccountAsync(access);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        Assert.Equal("no-store", profile.Headers.CacheControl?.ToString());
        using var json = await profile.JsonAsync();
        var root = json.RootElement;
        Assert.Equal(["id", "username", "email", "email_confirmed", "created_at"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, root.GetProperty("id").GetString());
        Assert.Equal(username, root.GetProperty("username").GetString());
        Assert.Equal("Mixed.Case+tag@example.com", root.GetProperty("email").GetString());
        Assert.False(root.GetProperty("email_confirmed").GetBoolean());
        var createdAt = DateTimeOffset.Parse(root.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(createdAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(TimeSpan.Zero, createdAt.Offset);
    }

    [Fact]
    public async Task An_account_without_an_address_shows_null()
    {
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, email: null))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var (access, _) = await Client.StartSessionAsync(username, EmailClient.Password);
        using var profile = await Client.AccountAsync(access);
        using var json = await profile.JsonAsync();
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("email").ValueKind);
        Assert.False(json.RootElement.GetProperty("email_confirmed").GetBoolean());
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("created_at").ValueKind);
    }

    [Fact]
    public async Task An_account_stored_before_addresses_reads_as_no_address_and_no_creation_time()
    {
        var username = AuthClient.NewUsername();
        var (access, _) = await Client.RegisterAndStartSessionAsync(username, EmailClient.Password);

        // The row as an older version wrote it: without Email, EmailConfirmed and CreatedAt.
        Assert.True(Username.TryCreate(username, out var name, out _));
        var users = App.Table("FuncAuth:Storage:UsersTableName");
        var row = (await users.GetEntityAsync<TableEntity>(name!.Key, "account")).Value;
        foreach (var property in new[] { "Email", "EmailConfirmed", "CreatedAt" })
        {
            row.Remove(property);
        }

        await users.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        using var profile = await Client.AccountAsync(access);
        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        using var json = await profile.JsonAsync();
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("email").ValueKind);
        Assert.False(json.RootElement.GetProperty("email_confirmed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("created_at").ValueKind);
    }

    [Fact]
    public async Task The_same_address_in_another_case_is_already_in_use()
    {
        var address = EmailClient.NewAddress();
        using (var first = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var second = AuthClient.NewUsername();
        using (var again = await Client.RegisterWithEmailAsync(second, address.ToUpperInvariant()))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
            Assert.Equal("That email address is already in use.", await again.DetailAsync());
        }

        // No account was made for the refused registration.
        using var login = await Client.LoginAsync(second, EmailClient.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task A_taken_username_gives_the_address_back()
    {
        var username = AuthClient.NewUsername();
        using (var first = await Client.RegisterWithEmailAsync(username, EmailClient.NewAddress()))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var address = EmailClient.NewAddress();
        using (var taken = await Client.RegisterWithEmailAsync(username, address))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
            Assert.Equal("That username is taken.", await taken.DetailAsync());
        }

        Assert.True(EmailAddress.TryCreate(address, out var parsed, out _));
        Assert.Null(await App.Services.GetRequiredService<EmailAddressStore>().FindOwnerAsync(parsed, TestContext.Current.CancellationToken));
        using var other = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Of_twenty_concurrent_registrations_of_one_address_exactly_one_succeeds()
    {
        var address = EmailClient.NewAddress();
        var usernames = Enumerable.Range(0, 20).Select(_ => AuthClient.NewUsername()).ToList();
        var responses = await Task.WhenAll(usernames.Select(u => Client.RegisterWithEmailAsync(u, address)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Single(statuses, HttpStatusCode.Created);
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));

        // One account holds it, and it is the one the claim names.
        var winner = usernames[statuses.IndexOf(HttpStatusCode.Created)];
        Assert.True(Username.TryCreate(winner, out var name, out _));
        Assert.True(EmailAddress.TryCreate(address, out var parsed, out _));
        var owner = await App.Services.GetRequiredService<EmailAddressStore>().FindOwnerAsync(parsed, TestContext.Current.CancellationToken);
        Assert.Equal(name!.Key, owner?.UserKey);
        var users = new List<TableEntity>();
        await foreach (var user in App.Table("FuncAuth:Storage:UsersTableName").QueryAsync<TableEntity>())
        {
            if (user.GetString("Email") == address)
            {
                users.Add(user);
            }
        }

        Assert.Equal(owner!.UserId, Assert.Single(users).GetString("Id"));
    }

    public static TheoryData<string> InvalidAddresses => new()
    {
        "user@example.com\r\nBcc: everyone@example.org",
        "Name <user@example.com>",
        "user(comment)@example.com",
        "\"quoted\"@example.com",
        "üser@example.com",
        "user@[192.0.2.1]",
        "user@localhost",
        "not an address",
        "",
        new string('a', 64) + "@" + string.Join('.', new string('a', 63), new string('b', 63), new string('c', 58), "com"),
    };

    [Theory]
    [MemberData(nameof(InvalidAddresses))]
    public async Task An_invalid_address_is_refused_naming_email(string address)
    {
        var username = AuthClient.NewUsername();
        using var response = await Client.RegisterWithEmailAsync(username, address);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["email"], await response.InvalidFieldsAsync());
        using var login = await Client.LoginAsync(username, EmailClient.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task An_address_that_is_not_a_string_is_a_bad_body()
    {
        using var response = await Client.PostAsync(
            "api/auth/register",
            new StringContent($"{{\"username\":\"{AuthClient.NewUsername()}\",\"password\":\"{EmailClient.Password}\",\"email\":42}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_internationalised_domain_is_stored_in_its_ASCII_form()
    {
        var local = $"idn{Guid.NewGuid():N}"[..16];
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, $"{local}@Bücher.example"))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var (access, _) = await Client.StartSessionAsync(username, EmailClient.Password);
        using var profile = await Client.AccountAsync(access);
        using var json = await profile.JsonAsync();
        Assert.Equal($"{local}@xn--bcher-kva.example", json.RootElement.GetProperty("email").GetString());

        // The ASCII form typed by someone else is the same address.
        using var again = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), $"{local}@XN--BCHER-KVA.example");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Deleting_the_account_frees_its_address()
    {
        var address = EmailClient.NewAddress();
        var username = AuthClient.NewUsername();
        using (var registered = await Client.RegisterWithEmailAsync(username, address))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var (access, _) = await Client.StartSessionAsync(username, EmailClient.Password);
        using (var taken = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address))
        {
            Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        }

        using (var deleted = await Client.DeleteAccountAsync(access, EmailClient.Password))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.True(EmailAddress.TryCreate(address, out var parsed, out _));
        Assert.Null(await App.Services.GetRequiredService<EmailAddressStore>().FindOwnerAsync(parsed, TestContext.Current.CancellationToken));
        using var reused = await Client.RegisterWithEmailAsync(AuthClient.NewUsername(), address);
        Assert.Equal(HttpStatusCode.Created, reused.StatusCode);
    }

    [Fact]
    public async Task The_profile_needs_a_bearer_token_of_a_live_account()
    {
        using (var anonymous = await Client.GetAsync("api/auth/account", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Bearer", anonymous.Challenge(), StringComparison.Ordinal);
        }

        using (var garbage = await Client.AccountAsync("not-a-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
            Assert.Contains("invalid_token", garbage.Challenge(), StringComparison.Ordinal);
        }

        // An account removed behind FuncAuth's back: its still-valid token gets the invalid-token answer.
        var username = AuthClient.NewUsername();
        var (access, _) = await Client.RegisterAndStartSessionAsync(username, EmailClient.Password);
        Assert.True(Username.TryCreate(username, out var name, out _));
        await App.Table("FuncAuth:Storage:UsersTableName").DeleteEntityAsync(name!.Key, "account", cancellationToken: TestContext.Current.CancellationToken);
        using var gone = await Client.AccountAsync(access);
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        Assert.Contains("invalid_token", gone.Challenge(), StringComparison.Ordinal);
    }
}
