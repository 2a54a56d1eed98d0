using System.Net;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using FuncAuth.Accounts;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FuncAuth.Tests.Accounts;

/// <summary>
/// Passwords are normalised (NFKC) by the Unicode 15.0 tables compiled into FuncAuth, not by the host's ICU; a hash made
/// from the form FuncAuth used before (ICU's, see <see cref="LegacyPasswordForm"/>) still verifies and is rewritten at the
/// next sign-in.
/// </summary>
public sealed class PasswordNormalizationTests(StorageFixture storage)
{
    // The same password typed in fullwidth forms (U+FF41...) with an ideographic space (U+3000): NFKC makes it ASCII.
    private const string Fullwidth = "\uFF43\uFF4F\uFF52\uFF52\uFF45\uFF43\uFF54\u3000\uFF48\uFF4F\uFF52\uFF53\uFF45\u3000\uFF42\uFF41\uFF54\uFF54\uFF45\uFF52\uFF59";
    private const string Normalized = "correct horse battery";
    private const string WrongFullwidth = "\uFF57\uFF52\uFF4F\uFF4E\uFF47\u3000\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44";
    private const int Iterations = 1000;

    /// <summary>
    /// Expected forms written out, never computed with <see cref="string.Normalize()"/>: these hold on any host. Under
    /// invariant globalization (DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1) .NET 10's string.Normalize returns every one of these
    /// inputs unchanged (seen on this machine), and under another ICU it follows that ICU's Unicode version.
    /// </summary>
    [Theory]
    [InlineData(Fullwidth, Normalized)]
    [InlineData("\uFF30\uFF41\uFF53\uFF53\uFF17", "Pass7")] // fullwidth letters and digit
    [InlineData("\uFB01\uFB02\uFB00 \u0132", "fiflff IJ")] // ligatures
    [InlineData("\u2460\u00B2\u338F \u216B \u00BD", "12kg XII 1\u20442")] // circled, superscript, squared, roman numeral, fraction
    [InlineData("a\u00A0b\u2003c", "a b c")] // no-break and em spaces
    [InlineData("\u212B\u2126\u017F", "\u00C5\u03A9s")] // angstrom and ohm signs, long s
    [InlineData("cafe\u0301", "caf\u00E9")] // a combining acute composes
    [InlineData("q\u0307\u0323", "q\u0323\u0307")] // marks reordered by combining class, nothing to compose
    [InlineData("\u1E9B\u0323", "\u1E69")] // long s with dot above, dot below: compatibility decomposition, then composition
    [InlineData("\u1100\u1161\u11A8 \uFFA1", "\uAC01 \u1100")] // conjoining jamo compose; halfwidth jamo
    [InlineData("\u00E9t\u00E9", "\u00E9t\u00E9")] // already normalised
    public void The_pinned_form_is_NFKC(string sent, string expected)
    {
        Assert.True(Password.TryCreate(sent, out var password, out var error), error);
        Assert.Equal(expected, password!.Text);
        Assert.Equal(sent, password.AsSent);
    }

    [Fact]
    public void Refused_passwords_keep_their_messages()
    {
        // Not theory data: attribute strings cannot hold lone surrogates (they are stored as U+FFFD).
        foreach (var (sent, message) in new (string?, string)[]
        {
            (null, "The password is required."),
            ("", "The password is required."),
            ("\uD800", "The password contains invalid Unicode."),
            ("correct\uDC00horse", "The password contains invalid Unicode."),
            ("correct horse\uD83D", "The password contains invalid Unicode."),
            ("\uDE00\uD83D", "The password contains invalid Unicode."),
        })
        {
            Assert.False(Password.TryCreate(sent, out var password, out var error));
            Assert.Null(password);
            Assert.Equal(message, error);
        }

        // A surrogate pair is one code point, and fine.
        Assert.True(Password.TryCreate("correct horse \uD83D\uDE00", out _, out _));
    }

    [Fact]
    public void The_length_limit_counts_the_text_as_sent_not_its_normal_form()
    {
        // U+338F SQUARE KG becomes two letters: 128 of them are 256 once normalised, and still accepted.
        Assert.True(Password.TryCreate(new string('\u338F', 128), out var expanded, out _));
        Assert.Equal(256, expanded!.Text.Length);

        Assert.False(Password.TryCreate(new string('a', 129), out _, out var error));
        Assert.Equal("The password must be at most 128 characters.", error);

        // Compatibility forms that shrink do not make a longer text fit.
        Assert.False(Password.TryCreate(new string('\u0065', 64) + new string('\u0301', 65), out _, out error));
        Assert.Equal("The password must be at most 128 characters.", error);
    }

    [Fact]
    public void A_password_never_shows_itself_as_text()
    {
        Assert.True(Password.TryCreate(Normalized, out var password, out _));
        Assert.DoesNotContain("horse", password!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("horse", $"{password}", StringComparison.Ordinal);
    }

    [Fact]
    public void The_legacy_form_is_only_given_when_it_differs()
    {
        var icu = new LegacyPasswordForm();
        Assert.Null(icu.Of(Create(Normalized)));

        // This machine's ICU (72, Unicode 15.0) agrees with the tables here, as it did for every code point tried.
        Assert.Null(icu.Of(Create(Fullwidth)));

        // ICU refuses U+FFFE (string.Normalize throws), the tables keep it: no legacy hash can exist for it.
        Assert.Null(icu.Of(Create("correct\uFFFEhorse")));

        // What invariant globalization did: the text as sent, which differs for all but ASCII.
        var asSent = new LegacyPasswordForm(sent => sent);
        Assert.Equal(Fullwidth, asSent.Of(Create(Fullwidth)));
        Assert.Null(asSent.Of(Create(Normalized)));
        Assert.Null(asSent.Of(Create("\u00E9t\u00E9")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hash_of_the_legacy_form_still_signs_in_and_is_rewritten_from_the_pinned_form(bool passwordGrant)
    {
        await using var app = LegacyApp();
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        await RegisterWithLegacyHashAsync(app, client, username);

        using (var wrong = await SignInAsync(client, username, WrongFullwidth, passwordGrant))
        {
            Assert.NotEqual(HttpStatusCode.OK, wrong.StatusCode);
        }

        Assert.Equal(PasswordCheck.Succeeded, Hasher().Verify(Fullwidth, await StoredHashAsync(app)));

        using (var right = await SignInAsync(client, username, Fullwidth, passwordGrant))
        {
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }

        // Rewritten from the pinned form: the legacy form no longer verifies, and the ASCII spelling signs in.
        var rewritten = await StoredHashAsync(app);
        Assert.Equal(PasswordCheck.Succeeded, Hasher().Verify(Normalized, rewritten));
        Assert.Equal(PasswordCheck.Failed, Hasher().Verify(Fullwidth, rewritten));
        using var ascii = await SignInAsync(client, username, Normalized, passwordGrant);
        Assert.Equal(HttpStatusCode.OK, ascii.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_with_a_legacy_form_count_toward_lockout()
    {
        await using var app = LegacyApp();
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        await RegisterWithLegacyHashAsync(app, client, username);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.LoginAsync(username, WrongFullwidth);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Locked (default: 5 failures): the right password, in either form, is refused and the legacy hash is left alone.
        using (var locked = await client.LoginAsync(username, Fullwidth))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        }

        Assert.Equal(PasswordCheck.Succeeded, Hasher().Verify(Fullwidth, await StoredHashAsync(app)));
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("locked for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_an_account_with_a_legacy_hash_takes_the_password_as_sent()
    {
        await using var app = LegacyApp();
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var access = await client.RegisterAndLoginAsync(username, Fullwidth);

        // The hash as a host before the pinned tables would have left it (after this session began).
        await WriteStoredHashAsync(app, Hasher().Hash(Fullwidth));
        using (var wrong = await client.DeleteAccountAsync(access, WrongFullwidth))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        using var deleted = await client.DeleteAccountAsync(access, Fullwidth);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var login = await client.LoginAsync(username, Fullwidth);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Changing_a_password_checks_the_current_one_in_its_legacy_form_too()
    {
        await using var app = LegacyApp();
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var access = await client.RegisterAndLoginAsync(username, Fullwidth);
        await WriteStoredHashAsync(app, Hasher().Hash(Fullwidth));

        // The endpoint reads the current password as normalised text today (AccountEndpoints.ReadPasswordChange), so this
        // goes through the service, as the endpoint will once it hands over the Password.
        var accounts = app.Services.GetRequiredService<AccountService>();
        Assert.True(Username.TryCreate(username, out var name, out _));
        var userId = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(access).Subject;
        Assert.Equal(PasswordChange.WrongPassword, await accounts.ChangePasswordAsync(name!, userId, Create(WrongFullwidth), "a brand new password", null, CancellationToken.None));
        Assert.Equal(PasswordChange.Changed, await accounts.ChangePasswordAsync(name!, userId, Create(Fullwidth), "a brand new password", null, CancellationToken.None));

        using var login = await client.LoginAsync(username, "a brand new password");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    /// <summary>
    /// The second hash is for passwords whose forms differ, and for those whatever the name: an unknown name costs what a
    /// known one does, so timing still tells no one who has an account. ASCII passwords cost one hash, as before.
    /// </summary>
    [Fact]
    public async Task A_password_whose_forms_differ_costs_a_second_hash_for_known_and_unknown_names_alike()
    {
        long counted = 0;
        var hasher = new PasswordHasher(Options.Create(new PasswordOptions { Iterations = Iterations }), (password, salt, iterations) =>
        {
            Interlocked.Add(ref counted, iterations);
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        });
        await using var app = new FuncAuthApp(storage.ConnectionString)
        {
            TestServices = services => services.AddSingleton(hasher).AddSingleton(new LegacyPasswordForm(sent => sent)),
        };
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        using (var registered = await client.RegisterAsync(username, Normalized))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        async Task<long> WorkOfAsync(string name, string password)
        {
            var before = Interlocked.Read(ref counted);
            using var login = await client.LoginAsync(name, password);
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
            return Interlocked.Read(ref counted) - before;
        }

        Assert.Equal(Iterations, await WorkOfAsync(username, "wrong password"));
        Assert.Equal(Iterations, await WorkOfAsync(AuthClient.NewUsername(), "wrong password"));
        Assert.Equal(2 * Iterations, await WorkOfAsync(username, WrongFullwidth));
        Assert.Equal(2 * Iterations, await WorkOfAsync(AuthClient.NewUsername(), WrongFullwidth));
    }

    private static Password Create(string sent) =>
        Password.TryCreate(sent, out var password, out var error) ? password! : throw new ArgumentException(error, nameof(sent));

    private static PasswordHasher Hasher() => new(Options.Create(new PasswordOptions { Iterations = Iterations }));

    /// <summary>
    /// An app whose legacy form is the text as sent, which is what <see cref="string.Normalize()"/> gave under invariant
    /// globalization: this machine's ICU agrees with the pinned tables on every code point, so it cannot make a differing form.
    /// </summary>
    private FuncAuthApp LegacyApp() => new(storage.ConnectionString)
    {
        TestServices = services => services.AddSingleton(new LegacyPasswordForm(sent => sent)),
    };

    private static async Task RegisterWithLegacyHashAsync(FuncAuthApp app, HttpClient client, string username)
    {
        using (var registered = await client.RegisterAsync(username, Fullwidth))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // Registered now, the hash is of the pinned form; replace it with one of the legacy form, as an older FuncAuth made.
        Assert.Equal(PasswordCheck.Succeeded, Hasher().Verify(Normalized, await StoredHashAsync(app)));
        await WriteStoredHashAsync(app, Hasher().Hash(Fullwidth));
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password, bool passwordGrant) =>
        passwordGrant
            ? client.TokenAsync(("grant_type", "password"), ("username", username), ("password", password))
            : client.LoginAsync(username, password);

    private static async Task<TableEntity> StoredUserAsync(FuncAuthApp app)
    {
        await foreach (var user in app.Table("FuncAuth:Storage:UsersTableName").QueryAsync<TableEntity>(e => e.RowKey == "account"))
        {
            return user;
        }

        throw new InvalidOperationException("No user stored.");
    }

    private static async Task<string> StoredHashAsync(FuncAuthApp app) => (await StoredUserAsync(app)).GetString("PasswordHash");

    private static async Task WriteStoredHashAsync(FuncAuthApp app, string hash)
    {
        var user = await StoredUserAsync(app);
        await app.Table("FuncAuth:Storage:UsersTableName").UpdateEntityAsync(
            new TableEntity(user.PartitionKey, user.RowKey) { ["PasswordHash"] = hash }, ETag.All, TableUpdateMode.Merge);
    }
}
