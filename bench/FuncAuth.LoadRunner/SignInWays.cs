using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncAuth.Tests.Passkeys;
using OtpNet;

namespace FuncAuth.LoadRunner;

/// <summary>The password sign-in, driven by the same client as the two below: <c>POST api/auth/login</c>, one user.</summary>
internal sealed class PasswordSignInWay(string username) : SignInWay
{
    private readonly string _body = Apps.LoginBody(username);

    public override TargetKind Kind => TargetKind.PasswordSignIn;

    public override IReadOnlyList<string> Steps { get; } = ["login"];

    public override Task SignInAsync(HttpClient client, int connection, double[] stepMilliseconds, CancellationToken cancel) =>
        PostAsync(client, "api/auth/login", _body, HttpStatusCode.OK, stepMilliseconds, 0, cancel);
}

/// <summary>
/// The TOTP sign-in: <c>POST api/auth/login</c> with the right password answers <c>mfa_required</c> with an mfa token,
/// then <c>POST api/auth/login/mfa</c> with the token and the code of the current time step, computed with Otp.NET from
/// the user's secret as an authenticator app would.
/// </summary>
/// <remarks>
/// FuncAuth accepts a time step's code once per user (replay refused), so a user signs in at most once per 30-second
/// step, and the server's clock cannot be faked. The way holds a pool of enrolled users, least recently used first; a
/// connection takes one whose last sign-in was in an earlier step, and when none is left it waits for the next step
/// (counted as a stall: the pool is sized from the measured login rate so that it should not happen).
/// </remarks>
internal sealed class TotpSignInWay : SignInWay
{
    public const int StepSeconds = 30;

    /// <summary>FuncAuth's answer to the right password of an account with TOTP on (see README "TOTP").</summary>
    public const HttpStatusCode MfaRequiredStatus = HttpStatusCode.Forbidden;

    private readonly Queue<TotpUser> _idle;
    private readonly Lock _lock = new();
    private int _stalls;

    private TotpSignInWay(IEnumerable<TotpUser> users) => _idle = new(users.OrderBy(u => u.LastStep));

    public override TargetKind Kind => TargetKind.TotpSignIn;

    public override IReadOnlyList<string> Steps { get; } = ["login (password)", "login/mfa (code)"];

    public override int Stalls => Volatile.Read(ref _stalls);

    public override void ResetStalls() => Volatile.Write(ref _stalls, 0);

    /// <summary>Registers <paramref name="count"/> users and turns TOTP on for each (three password checks each: register, login, enrolment).</summary>
    public static async Task<TotpSignInWay> SetUpAsync(HttpClient http, string url, int count, int parallel)
    {
        var users = new ConcurrentBag<TotpUser>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, _) =>
        {
            var username = $"bench-totp-{Guid.NewGuid():N}";
            await Apps.RegisterAsync(http, url, username);
            var token = await Apps.LoginAsync(http, url, username);
            var enrolment = JsonNode.Parse(await SetUpStepAsync(http, $"{url}/api/auth/mfa/totp", Json(new { password = Apps.Password }), token, HttpStatusCode.OK));
            var secret = Base32Encoding.ToBytes((string?)enrolment?["secret"] ?? throw new InvalidOperationException("TOTP enrolment answered no secret."));
            var (code, step) = Code(secret);
            _ = await SetUpStepAsync(http, $"{url}/api/auth/mfa/totp/confirm", Json(new { code }), token, HttpStatusCode.OK);
            users.Add(new TotpUser(username, secret) { LastStep = step });
        });
        return new TotpSignInWay(users);
    }

    public override async Task SignInAsync(HttpClient client, int connection, double[] stepMilliseconds, CancellationToken cancel)
    {
        var user = await TakeAsync(cancel);
        try
        {
            var required = await PostAsync(client, "api/auth/login", user.LoginBody, MfaRequiredStatus, stepMilliseconds, 0, cancel);
            var mfaToken = (string?)JsonNode.Parse(required)?["mfa_token"] ?? throw new SignInFailure($"login answered {(int)MfaRequiredStatus} without an mfa_token: {required}");
            var (code, step) = Code(user.Secret);
            user.LastStep = step; // spent once sent, whatever the answer: the server may have taken it
            var body = Json(new Dictionary<string, string> { ["mfa_token"] = mfaToken, ["code"] = code });
            _ = await PostAsync(client, "api/auth/login/mfa", body, HttpStatusCode.OK, stepMilliseconds, 1, cancel);
        }
        finally
        {
            lock (_lock)
            {
                _idle.Enqueue(user);
            }
        }
    }

    /// <summary>The code of the current time step and that step (Unix seconds ÷ 30), with Otp.NET's defaults: SHA-1, 6 digits, 30 s.</summary>
    private static (string Code, long Step) Code(byte[] secret)
    {
        var now = DateTime.UtcNow;
        return (new Totp(secret).ComputeTotp(now), new DateTimeOffset(now).ToUnixTimeSeconds() / StepSeconds);
    }

    private static long CurrentStep() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The least recently used idle user, when its last sign-in was in an earlier step; otherwise waits for the next step.</summary>
    private async Task<TotpUser> TakeAsync(CancellationToken cancel)
    {
        var stalled = false;
        while (true)
        {
            lock (_lock)
            {
                if (_idle.TryPeek(out var head) && head.LastStep < CurrentStep())
                {
                    return _idle.Dequeue();
                }
            }

            if (!stalled)
            {
                stalled = true;
                Interlocked.Increment(ref _stalls);
            }

            var untilNextStep = ((CurrentStep() + 1) * StepSeconds * 1000) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(untilNextStep, 1, 100)), cancel);
        }
    }

    private sealed class TotpUser(string username, byte[] secret)
    {
        public string LoginBody { get; } = Apps.LoginBody(username);

        public byte[] Secret { get; } = secret;

        /// <summary>The time step of the last code sent for this user (written by the connection holding it).</summary>
        public long LastStep { get; set; }
    }
}

/// <summary>
/// The passkey sign-in: <c>POST api/auth/passkeys/login/options</c> (a fresh challenge), then <c>POST
/// api/auth/passkeys/login</c> with the assertion the tests' <see cref="SoftwareAuthenticator"/> signs for it. One user
/// and authenticator per connection, so each authenticator's signature counter rises one sign-in after another, as a
/// real one's does.
/// </summary>
internal sealed class PasskeySignInWay : SignInWay
{
    private readonly SoftwareAuthenticator[] _authenticators;

    private PasskeySignInWay(SoftwareAuthenticator[] authenticators) => _authenticators = authenticators;

    public override TargetKind Kind => TargetKind.PasskeySignIn;

    public override IReadOnlyList<string> Steps { get; } = ["passkeys/login/options", "passkeys/login (assertion)"];

    /// <summary>
    /// Registers <paramref name="count"/> users (two password checks each: register, login) and a passkey for each,
    /// made by an authenticator that answers as a browser at <paramref name="origin"/> would.
    /// </summary>
    public static async Task<PasskeySignInWay> SetUpAsync(HttpClient http, string url, string origin, int count)
    {
        var authenticators = new SoftwareAuthenticator[count];
        for (var i = 0; i < count; i++)
        {
            var username = $"bench-passkey-{Guid.NewGuid():N}";
            await Apps.RegisterAsync(http, url, username);
            var token = await Apps.LoginAsync(http, url, username);
            var options = await SetUpStepAsync(http, $"{url}/api/auth/passkeys/options", null, token, HttpStatusCode.OK);
            authenticators[i] = new SoftwareAuthenticator(origin);
            var attestation = JsonNode.Parse(authenticators[i].CreateAttestationJson(options));
            var body = new JsonObject { ["name"] = "bench", ["credential"] = attestation }.ToJsonString();
            _ = await SetUpStepAsync(http, $"{url}/api/auth/passkeys", body, token, HttpStatusCode.Created);
        }

        return new PasskeySignInWay(authenticators);
    }

    public override async Task SignInAsync(HttpClient client, int connection, double[] stepMilliseconds, CancellationToken cancel)
    {
        var authenticator = _authenticators[connection];
        var options = await PostAsync(client, "api/auth/passkeys/login/options", null, HttpStatusCode.OK, stepMilliseconds, 0, cancel);
        var assertion = authenticator.CreateAssertionJson(options);
        _ = await PostAsync(client, "api/auth/passkeys/login", assertion, HttpStatusCode.OK, stepMilliseconds, 1, cancel);
    }
}
