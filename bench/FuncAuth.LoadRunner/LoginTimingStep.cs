using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>The login timing step was aborted: a login answered something other than what a failure answers.</summary>
internal sealed class LoginTimingException(string message) : Exception(message);

/// <summary>
/// What a failed login tells by its timing: single sequential logins on one kept-alive connection, of three kinds that
/// all answer the same 401 (an unknown user, a wrong password, a locked account asked with its right password),
/// interleaved round-robin so drift hits them alike. FuncAuth's goal: their medians within 10% of each other.
/// </summary>
internal static class LoginTimingStep
{
    /// <summary>FuncAuth's default FuncAuth:Lockout:MaxFailedAttempts, which the suite's server keeps.</summary>
    public const int LockAfter = 5;

    /// <summary>Failures each wrong-password user takes: one fewer than lock it.</summary>
    public const int FailuresPerUser = LockAfter - 1;

    /// <summary>Times the locked account may be found unlocked and locked again before the step gives up.</summary>
    private const int MaxRelocks = 3;

    private static readonly FailedLogin[] Kinds = Enum.GetValues<FailedLogin>();

    /// <summary>
    /// Registers the users (with <paramref name="setup"/>), then measures <paramref name="samples"/> logins of each kind
    /// into <paramref name="results"/>; throws <see cref="LoginTimingException"/> on an answer other than 401.
    /// </summary>
    public static async Task RunAsync(HttpClient setup, string url, int samples, LoginTimingResults results, Action<string> log)
    {
        var pool = new string[(samples + FailuresPerUser - 1) / FailuresPerUser];
        for (var i = 0; i < pool.Length; i++)
        {
            pool[i] = NewUsername();
            await Apps.RegisterAsync(setup, url, pool[i]);
        }

        var locked = NewUsername();
        await Apps.RegisterAsync(setup, url, locked);
        log(string.Create(CultureInfo.InvariantCulture, $"login timing: registered {pool.Length} wrong-password user(s) and the account to lock"));

        using var client = new TimingClient();
        var failure = new FailureAnswer();

        // Warm-up, unrecorded: the connection, and each kind's path through the server (locking the account runs the
        // wrong-password path five times, the first adding the name's failure row and the others updating it).
        await client.WarmUpAsync(url);

        await LockAsync(client, url, locked, failure);
        failure.Expect(await LoginAsync(client, url, NewUsername(), Apps.Password), "an unknown user (warm-up)");
        var warm = await LoginAsync(client, url, locked, Apps.Password);
        if (warm.Status == HttpStatusCode.OK)
        {
            throw new LoginTimingException($"{LockAfter} wrong passwords did not lock the account: its right password then answered 200.");
        }

        failure.Expect(warm, "the locked account (warm-up)");
        var connectsBefore = client.Connects;

        var times = Kinds.ToDictionary(k => k, _ => new List<double>(samples));
        for (var round = 0; round < samples; round++)
        {
            // Round-robin, the first kind rotating each round, so none is always the one after another.
            for (var i = 0; i < Kinds.Length; i++)
            {
                var kind = Kinds[(round + i) % Kinds.Length];
                times[kind].Add(kind switch
                {
                    FailedLogin.UnknownUser => failure.Expect(await LoginAsync(client, url, NewUsername(), Apps.Password), "an unknown user"),
                    FailedLogin.WrongPassword => failure.Expect(await LoginAsync(client, url, pool[round / FailuresPerUser], WrongPassword()), "a wrong password"),
                    _ => await LockedLoginAsync(client, url, locked, failure, results),
                });
            }
        }

        results.Reconnects = client.Connects - connectsBefore;
        results.Kinds.AddRange(Kinds.Select(k => new KindTiming(LoginTimingResults.NameOf(k), times[k])));
        foreach (var timing in results.Kinds)
        {
            log(string.Create(CultureInfo.InvariantCulture, $"login timing, {timing.Name}: median {timing.Median:F1} ms, p90 {timing.P90:F1} ms ({timing.Milliseconds.Count} samples)"));
        }

        log(string.Create(CultureInfo.InvariantCulture,
            $"login timing: spread of the medians {results.Spread * 100:F1}%, {results.Relocks} relock(s), {results.Reconnects} reconnect(s)"));
    }

    /// <summary>The locked account asked with its right password; if its lock has ended (200), it is locked again and asked again.</summary>
    private static async Task<double> LockedLoginAsync(TimingClient client, string url, string locked, FailureAnswer failure, LoginTimingResults results)
    {
        var relocked = false;
        while (true)
        {
            var answer = await LoginAsync(client, url, locked, Apps.Password);
            if (answer.Status != HttpStatusCode.OK)
            {
                return failure.Expect(answer, "the locked account");
            }

            if (relocked || results.Relocks >= MaxRelocks)
            {
                throw new LoginTimingException(
                    $"The locked account answered 200 to its right password {(relocked ? "right after it was locked again" : $"after {results.Relocks} relocks")}: the lockout does not hold.");
            }

            await LockAsync(client, url, locked, failure);
            results.Relocks++;
            relocked = true;
        }
    }

    private static async Task LockAsync(TimingClient client, string url, string username, FailureAnswer failure)
    {
        for (var i = 0; i < LockAfter; i++)
        {
            failure.Expect(await LoginAsync(client, url, username, WrongPassword()), "a wrong password (locking the account)");
        }
    }

    /// <summary>One login, timed from sending the request (built beforehand) to the whole answer read.</summary>
    private static async Task<TimedAnswer> LoginAsync(TimingClient client, string url, string username, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/auth/login")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["username"] = username, ["password"] = password })),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.SendAsync(request);
    }

    /// <summary>A name of the same shape and length as the registered ones, never registered.</summary>
    private static string NewUsername() => $"bench-timing-{Guid.NewGuid():N}";

    /// <summary>A password as long as the right one, never it.</summary>
    private static string WrongPassword() => RandomNumberGenerator.GetHexString(Apps.Password.Length, lowercase: true);

    /// <summary>Every failure must answer 401 with the very same body: otherwise the answer, not only the timing, tells.</summary>
    private sealed class FailureAnswer
    {
        private string? _body;

        public double Expect(TimedAnswer answer, string what)
        {
            if (answer.Status != HttpStatusCode.Unauthorized)
            {
                throw new LoginTimingException($"A login with {what} answered {(int)answer.Status}, not 401: {Shorten(answer.Body)}");
            }

            _body ??= answer.Body;
            if (answer.Body != _body)
            {
                throw new LoginTimingException($"A login with {what} answered 401 with another body than the other failures: {Shorten(answer.Body)} vs {Shorten(_body)}");
            }

            return answer.Milliseconds;
        }

        private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
    }
}
