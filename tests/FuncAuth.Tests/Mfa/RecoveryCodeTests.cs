using System.Net;
using Azure.Core;
using FuncAuth.Tests.Email;
using FuncAuth.Tests.Email.Addresses;
using FuncAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncAuth.Tests.Mfa;

/// <summary>
/// Recovery codes: each of the ten signs in once (amr pwd, mfa), in any form a person types it; one code raced by several
/// requests signs in once; each use is told to the confirmed address with the count left; and a storage fault during the
/// second factor is a 503, not a sign-in.
/// </summary>
public sealed class RecoveryCodeTests(StorageFixture storage) : MailTests
{
    [Fact]
    public async Task Each_of_the_ten_codes_signs_in_once_and_each_use_is_told_to_the_owner()
    {
        await using var app = MailFlow.App(storage, Smtp, new Dictionary<string, string?> { ["FuncAuth:Mfa:EncryptionKey"] = TotpClient.EncryptionKey });
        using var client = app.CreateClient();
        var (username, email) = (AuthClient.NewUsername(), EmailClient.NewAddress());
        var (access, _) = await client.RegisterConfirmedAsync(Smtp, username, email);
        var (_, _, codes) = await client.RegisterWithTotpAsync(username, TimeProvider.System, access);

        for (var i = 0; i < codes.Length; i++)
        {
            // Typed as a person might: lower case, without the hyphen, with spaces.
            var typed = i % 2 == 0 ? codes[i] : codes[i].ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal);
            using var signedIn = await client.SecondFactorAsync(await client.MfaTokenAsync(username), recoveryCode: typed);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal(["pwd", "mfa"], TotpClient.Amr((await signedIn.TokensAsync()).Access));
        }

        // Each once: none of them again.
        foreach (var code in codes.Take(3))
        {
            using var again = await client.SecondFactorAsync(await client.MfaTokenAsync(username), recoveryCode: code);
            Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        }

        var notices = await Smtp.WaitForAsync(m => m.IsTo(email) && m.Says("recovery code was used"), count: 10);
        Assert.Contains(notices, n => n.Raw.Contains("9 recovery codes left", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Raw.Contains("0 recovery codes left", StringComparison.Ordinal));
        Assert.DoesNotContain(notices, n => codes.Any(c => n.Raw.Contains(c, StringComparison.Ordinal)));
        Assert.Contains(app.Logs.Lines, l => l.Contains("signed in with a recovery code; 0 left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_code_raced_by_several_sign_ins_signs_in_once()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, _, codes) = await client.RegisterWithTotpAsync(username, clock);
        var tokens = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(await client.MfaTokenAsync(username));
        }

        using var start = new ManualResetEventSlim();
        var racing = tokens.Select(t => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.SecondFactorAsync(t, recoveryCode: codes[0]);
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(racing);
        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task A_recovery_code_turns_totp_off_for_an_owner_who_lost_the_app()
    {
        var clock = TotpClient.Clock();
        await using var app = TotpClient.App(storage, clock);
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (_, _, codes) = await client.RegisterWithTotpAsync(username, clock);

        using var signedIn = await client.SecondFactorAsync(await client.MfaTokenAsync(username), recoveryCode: codes[0]);
        var (access, _) = await signedIn.TokensAsync();
        using (var disabled = await client.DisableTotpAsync(access, codes[1]))
        {
            Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        }

        using var login = await client.LoginAsync(username, TotpClient.Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_storage_fault_in_the_second_factor_is_a_503_with_retry_after_and_no_session()
    {
        var clock = TotpClient.Clock();
        var outage = new AuthenticatorsOutage();
        await using var app = new FuncAuthApp(storage.ConnectionString, new Dictionary<string, string?> { ["FuncAuth:Mfa:EncryptionKey"] = TotpClient.EncryptionKey })
        {
            Time = clock,
            TestServices = services => services.AddSingleton<Azure.Core.Pipeline.HttpPipelinePolicy>(outage),
        };
        outage.Table = app.Setting("FuncAuth:Storage:AuthenticatorsTableName")!;
        using var client = app.CreateClient();
        var username = AuthClient.NewUsername();
        var (access, secret, _) = await client.RegisterWithTotpAsync(username, clock);
        var mfaToken = await client.MfaTokenAsync(username);
        clock.Advance(TimeSpan.FromSeconds(30));

        outage.Failing = true;
        using (var login = await client.LoginAsync(username, TotpClient.Password))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.NotEmpty(login.Headers.GetValues("Retry-After"));
        }

        using (var second = await client.SecondFactorAsync(mfaToken, TotpClient.Code(secret, clock.GetUtcNow())))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        }

        using (var enrol = await client.DisableTotpAsync(access, TotpClient.Code(secret, clock.GetUtcNow())))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, enrol.StatusCode);
        }

        // Back: the token and the code (never accepted) still sign in.
        outage.Failing = false;
        using var after = await client.SecondFactorAsync(mfaToken, TotpClient.Code(secret, clock.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>While <see cref="Failing"/>, every call to the Authenticators table fails as a dropped connection would.</summary>
    private sealed class AuthenticatorsOutage : InspectingPolicy
    {
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        /// <summary>The Authenticators table's name: only its requests fail.</summary>
        public string Table { get; set; } = "";

        protected override void Inspect(HttpMessage message)
        {
            if (_failing && message.Request.Uri.ToString().Contains("/" + Table, StringComparison.Ordinal))
            {
                throw new IOException("Simulated outage: the connection was dropped.");
            }
        }
    }
}
