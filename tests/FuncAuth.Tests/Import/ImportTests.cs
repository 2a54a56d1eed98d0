using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using FuncAuth.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using static FuncAuth.Tests.Import.ImportApi;
using NativeHasher = FuncAuth.Accounts.PasswordHasher;
using NativeOptions = FuncAuth.Accounts.PasswordOptions;

namespace FuncAuth.Tests.Import;

/// <summary>
/// <c>POST api/admin/users/import</c> through the real pipeline on Table Storage: every hash kind imported and signed in with
/// (then rewritten in FuncAuth's format), a wrong password counted toward lockout, per-line refusals that leave the lines
/// around them alone, a file sent twice changing nothing, ids kept as <c>sub</c>, addresses honoured and never shared.
/// </summary>
public sealed class ImportTests(StorageFixture storage)
{
    /// <summary>Each kind of hash a line may bring, made from <see cref="ImportApi.Password"/> as the other system would.</summary>
    public static TheoryData<string> HashKinds => new(Kinds);

    private static readonly string[] Kinds = ["identity-v2", "identity-v3", "identity-v3-sha256-by-hand", "bcrypt-2a", "bcrypt-2b", "bcrypt-2y", "funcauth"];

    [Theory]
    [MemberData(nameof(HashKinds))]
    public async Task An_imported_hash_signs_in_and_is_rewritten_in_FuncAuths_format(string kind)
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var username = AuthClient.NewUsername();
        var hash = HashOf(kind, ImportApi.Password);

        var results = await ImportAsync(client, admin, Line(new { username, password_hash = hash }));
        Assert.Equal("created", ResultOf(Assert.Single(results)));
        Assert.Equal(hash, (await UserRowAsync(app, username))!.GetString("PasswordHash"));

        using (var first = await client.LoginAsync(username, ImportApi.Password))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Rewritten at the app's own cost (1000 in tests) from the password just proven.
        var rewritten = (await UserRowAsync(app, username))!.GetString("PasswordHash");
        Assert.StartsWith("$pbkdf2-sha256$i=1000$", rewritten, StringComparison.Ordinal);
        Assert.NotEqual(hash, rewritten);

        using var second = await client.LoginAsync(username, ImportApi.Password);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task A_foreign_hash_of_the_password_as_typed_signs_in_and_the_normalised_one_is_stored()
    {
        // Full-width letters: NFKC (what FuncAuth hashes) makes them ASCII; Identity hashed what the user typed.
        const string typed = "\uFF30\uFF41\uFF53\uFF53 phrase \uFF11\uFF12\uFF13";
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var (asTyped, normalised) = (AuthClient.NewUsername(), AuthClient.NewUsername());

        var results = await ImportAsync(client, admin,
            Line(new { username = asTyped, password_hash = new PasswordHasher<object>().HashPassword(new object(), typed) }),
            Line(new { username = normalised, password_hash = BCrypt.Net.BCrypt.HashPassword("Pass phrase 123", 4) }));
        Assert.All(results, r => Assert.Equal("created", ResultOf(r)));

        foreach (var username in new[] { asTyped, normalised })
        {
            using (var first = await client.LoginAsync(username, typed))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }

            Assert.StartsWith("$pbkdf2-sha256$", (await UserRowAsync(app, username))!.GetString("PasswordHash"), StringComparison.Ordinal);
            using var again = await client.LoginAsync(username, typed);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }

    [Fact]
    public async Task A_wrong_password_for_an_imported_user_is_401_counts_toward_lockout_and_keeps_the_hash()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Lockout:MaxFailedAttempts"] = "2" });
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var username = AuthClient.NewUsername();
        var hash = BCrypt.Net.BCrypt.HashPassword(ImportApi.Password, 4);
        Assert.Equal("created", ResultOf(Assert.Single(await ImportAsync(client, admin, Line(new { username, password_hash = hash })))));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var wrong = await client.LoginAsync(username, "not the password at all");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Locked now: the right password gets the same 401, and the hash is still the imported one.
        using var locked = await client.LoginAsync(username, ImportApi.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Equal(hash, (await UserRowAsync(app, username))!.GetString("PasswordHash"));
    }

    [Fact]
    public async Task Refused_lines_are_refused_alone_and_say_why()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var names = Enumerable.Range(0, 4).Select(_ => AuthClient.NewUsername()).ToArray();

        var results = await ImportAsync(client, admin,
            Line(new { username = names[0] }),
            "{\"username\": \"broken\", ",
            Line(new { username = names[1], nickname = "x" }),
            Line(new { username = names[2], password_hash = "md5$5f4dcc3b5aa765d61d8327deb882cf99" }),
            Line(new { username = names[2], password_hash = "$2b$31$" + new string('a', 53) }),
            Line(new { username = names[2], password_hash = IdentityV3(HashAlgorithmName.SHA512, 10_000_000, ImportApi.Password, iterationsOnly: true) }),
            Line(new { username = names[2], id = "not/an id" }),
            Line(new { username = names[2], roles = new[] { "has space" } }),
            Line(new { username = names[2], email_confirmed = true }),
            "[1, 2]",
            Line(new { username = names[3] }));

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], results.Select(r => r.GetProperty("line").GetInt64()));
        Assert.Equal(["created", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "created"], results.Select(ResultOf));
        Assert.Contains("\"nickname\"", ErrorOf(results[2]), StringComparison.Ordinal);
        Assert.Contains("no format", ErrorOf(results[3]), StringComparison.Ordinal);
        Assert.Contains("cost", ErrorOf(results[4]), StringComparison.Ordinal);
        Assert.Contains("iteration", ErrorOf(results[5]), StringComparison.Ordinal);
        Assert.Contains("\"id\"", ErrorOf(results[6]), StringComparison.Ordinal);
        Assert.Contains("role", ErrorOf(results[7]), StringComparison.Ordinal);
        Assert.Contains("email", ErrorOf(results[8]), StringComparison.Ordinal);

        Assert.NotNull(await UserRowAsync(app, names[0]));
        Assert.NotNull(await UserRowAsync(app, names[3]));
        Assert.Null(await UserRowAsync(app, names[1]));
        Assert.Null(await UserRowAsync(app, names[2]));
    }

    [Fact]
    public async Task The_same_file_twice_answers_exists_for_every_line_and_changes_nothing()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var lines = Enumerable.Range(0, 40).Select(i => Line(new
        {
            username = AuthClient.NewUsername(),
            id = i % 2 == 0 ? $"legacy-{Guid.NewGuid():N}" : null,
            email = i % 3 == 0 ? $"import-{Guid.NewGuid():N}@example.com" : null,
            email_confirmed = i % 3 == 0,
            roles = i % 5 == 0 ? new[] { "editor", "reader" } : null,
            password_hash = i % 4 == 0 ? null : HashOf(Kinds[i % Kinds.Length], ImportApi.Password),
        })).ToArray();

        var first = await ImportAsync(client, admin, lines);
        Assert.All(first, r => Assert.Equal("created", ResultOf(r)));
        var users = await SnapshotAsync(app.Table("FuncAuth:Storage:UsersTableName"));
        var addresses = await SnapshotAsync(app.Table("FuncAuth:Storage:EmailAddressesTableName"));

        var second = await ImportAsync(client, admin, lines);
        Assert.All(second, r => Assert.Equal("exists", ResultOf(r)));
        Assert.Equal(first.Select(r => r.GetProperty("id").GetString()), second.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(users, await SnapshotAsync(app.Table("FuncAuth:Storage:UsersTableName")));
        Assert.Equal(addresses, await SnapshotAsync(app.Table("FuncAuth:Storage:EmailAddressesTableName")));
    }

    [Fact]
    public async Task An_imported_id_is_the_sub_and_the_address_and_roles_are_kept()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var (username, id, email) = (AuthClient.NewUsername(), $"aspnet-{Guid.NewGuid():D}", $"kept-{Guid.NewGuid():N}@example.com");

        var result = Assert.Single(await ImportAsync(client, admin, Line(new
        {
            username,
            id,
            email,
            email_confirmed = true,
            roles = new[] { "reader", "editor", "reader" },
            password_hash = HashOf("identity-v3", ImportApi.Password),
        })));
        Assert.Equal(id, result.GetProperty("id").GetString());

        using var login = await client.LoginAsync(username, ImportApi.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var access = await login.AccessTokenAsync();
        Assert.Equal(id, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(access).Subject);

        using var profile = await client.SendAsync(AuthClient.WithBearer(HttpMethod.Get, "api/auth/account", access));
        using var json = await profile.JsonAsync();
        Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
        Assert.Equal(email, json.RootElement.GetProperty("email").GetString());
        Assert.True(json.RootElement.GetProperty("email_confirmed").GetBoolean());
        Assert.Equal("editor reader", (await UserRowAsync(app, username))!.GetString("Roles"));
    }

    [Fact]
    public async Task An_address_another_user_holds_is_refused_and_no_user_is_made()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var email = $"taken-{Guid.NewGuid():N}@example.com";
        using (var registered = await client.PostAsync("api/auth/register", System.Net.Http.Json.JsonContent.Create(new { username = AuthClient.NewUsername(), password = ImportApi.Password, email })))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var claims = await SnapshotAsync(app.Table("FuncAuth:Storage:EmailAddressesTableName"));
        var username = AuthClient.NewUsername();
        var result = Assert.Single(await ImportAsync(client, admin, Line(new { username, email = email.ToUpperInvariant() })));

        Assert.Equal("refused", ResultOf(result));
        Assert.Contains("email", ErrorOf(result), StringComparison.Ordinal);
        Assert.Null(await UserRowAsync(app, username));
        Assert.Equal(claims, await SnapshotAsync(app.Table("FuncAuth:Storage:EmailAddressesTableName")));
    }

    [Fact]
    public async Task Two_lines_with_one_address_make_one_user()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        var (first, second) = (AuthClient.NewUsername(), AuthClient.NewUsername());

        var results = await ImportAsync(client, admin, Line(new { username = first, email }), Line(new { username = second, email }));

        Assert.Equal(1, results.Count(r => ResultOf(r) == "created"));
        Assert.Equal(1, results.Count(r => ResultOf(r) == "refused"));
        Assert.Single(await SnapshotAsync(app.Table("FuncAuth:Storage:EmailAddressesTableName")));
        Assert.True((await UserRowAsync(app, first) is null) != (await UserRowAsync(app, second) is null));
    }

    [Fact]
    public async Task A_user_without_a_hash_cannot_sign_in()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var username = AuthClient.NewUsername();
        Assert.Equal("created", ResultOf(Assert.Single(await ImportAsync(client, admin, Line(new { username })))));

        foreach (var guess in new[] { ImportApi.Password, "!", "" + "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9" })
        {
            using var login = await client.LoginAsync(username, guess);
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
    }

    [Fact]
    public async Task Blank_lines_a_bom_crlf_and_no_final_newline_are_fine()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var (first, second) = (AuthClient.NewUsername(), AuthClient.NewUsername());
        var body = "\uFEFF" + Line(new { username = first }) + "\r\n\r\n   \n" + Line(new { username = second });

        using var response = await PostAsync(client, admin, Body(body));
        var results = await ResultsAsync(response);

        Assert.Equal([1, 4], results.Select(r => r.GetProperty("line").GetInt64()));
        Assert.All(results, r => Assert.Equal("created", ResultOf(r)));
    }

    [Fact]
    public async Task A_line_over_16_KiB_is_refused_unread_and_the_next_line_is_imported()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var username = AuthClient.NewUsername();

        var results = await ImportAsync(client, admin, Line(new { username = AuthClient.NewUsername(), id = new string('a', 40_000) }), Line(new { username }));

        Assert.Equal(["refused", "created"], results.Select(ResultOf));
        Assert.Contains("16 KiB", ErrorOf(results[0]), StringComparison.Ordinal);
        Assert.Equal(2, results[1].GetProperty("line").GetInt64());
    }

    [Fact]
    public async Task Another_media_type_is_415_and_a_caller_without_the_role_is_403()
    {
        await using var app = new FuncAuthApp(storage.ConnectionString);
        using var client = app.CreateClient();
        var admin = await AdminTokenAsync(app, client);
        var username = AuthClient.NewUsername();
        var line = Line(new { username });

        using (var json = await PostAsync(client, admin, new StringContent(line, System.Text.Encoding.UTF8, "application/json")))
        {
            Expect.Problem(json, HttpStatusCode.UnsupportedMediaType);
        }

        var user = await client.RegisterAndLoginAsync(AuthClient.NewUsername());
        using (var notAdmin = await PostAsync(client, user, Body(line)))
        {
            Expect.Problem(notAdmin, HttpStatusCode.Forbidden);
        }

        using (var anonymous = await client.PostAsync(FuncAuth.Http.FuncAuthRoutes.AdminUserImport, Body(line)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Null(await UserRowAsync(app, username));
    }

    /// <summary>A hash of <paramref name="password"/> of the kind, as the system that makes it would.</summary>
    internal static string HashOf(string kind, string password) => kind switch
    {
        "identity-v2" => new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 }))
            .HashPassword(new object(), password),
        "identity-v3" => new PasswordHasher<object>().HashPassword(new object(), password),
        "identity-v3-sha256-by-hand" => IdentityV3(HashAlgorithmName.SHA256, 12_345, password),
        "bcrypt-2a" => BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(4, 'a')),
        "bcrypt-2b" => BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(4, 'b')),
        "bcrypt-2y" => BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(4, 'b')).Replace("$2b$", "$2y$", StringComparison.Ordinal),
        "funcauth" => new NativeHasher(Options.Create(new NativeOptions { Iterations = 500 })).Hash(password),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Identity's V3 layout written from its documentation, not its code (an independent check of the format): 0x01, the PRF
    /// (0 SHA-1, 1 SHA-256, 2 SHA-512), the iteration count and the salt length as big-endian uints, the salt, the subkey.
    /// With <paramref name="iterationsOnly"/> the subkey is not derived (for a count too large to compute in a test).
    /// </summary>
    internal static string IdentityV3(HashAlgorithmName prf, int iterations, string password, bool iterationsOnly = false)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var subkey = iterationsOnly ? new byte[32] : Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, prf, 32);
        var bytes = new byte[13 + salt.Length + subkey.Length];
        bytes[0] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), prf == HashAlgorithmName.SHA1 ? 0u : prf == HashAlgorithmName.SHA256 ? 1u : 2u);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), (uint)iterations);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(9), (uint)salt.Length);
        salt.CopyTo(bytes, 13);
        subkey.CopyTo(bytes, 13 + salt.Length);
        return Convert.ToBase64String(bytes);
    }
}
