using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>The forgot timing step was aborted: a forgot request answered something other than what every one answers.</summary>
internal sealed class ForgotTimingException(string message) : Exception(message);

/// <summary>
/// What <c>POST api/auth/password/forgot</c> tells by its timing: single sequential requests on one kept-alive
/// connection, for an account's address and for an address no account has, interleaved round-robin so drift hits both
/// alike. Both must answer 202 with no body and the same headers; FuncAuth's goal: their medians within 10%.
/// </summary>
/// <remarks>
/// FuncAuth sends at most <c>FuncAuth:Email:MaxMessagesPerAddressPerHour</c> (5) messages per address and hour, and a
/// request over that budget writes nothing, so it is cheaper: every request here goes to an address of its own (a
/// registered one for each known sample, a fresh one for each unknown sample), each within its budget.
/// </remarks>
internal static class ForgotTimingStep
{
    private static readonly ForgotAddress[] Kinds = Enum.GetValues<ForgotAddress>();

    /// <summary>
    /// The pause after each request: the background work it started (the dispatcher's, heavier for a known address) is
    /// then mostly done before the next request is timed, so each time is that request's own, not the previous one's
    /// work too. Without it the alternating order still shares that work between the kinds, but as noise.
    /// </summary>
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the server's background dispatcher is given to write every reset message after the last request.</summary>
    private static readonly TimeSpan DeliveryWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Registers <paramref name="samples"/> + 1 users with addresses of their own (with <paramref name="setup"/>), waits
    /// for the server to go quiet, then measures <paramref name="samples"/> forgot requests of each kind into
    /// <paramref name="results"/>; throws <see cref="ForgotTimingException"/> on an answer that differs. Afterwards it
    /// counts the reset messages the server wrote to <paramref name="mailFolder"/> (its Development .eml folder).
    /// </summary>
    public static async Task RunAsync(
        HttpClient setup, string url, int samples, string mailFolder, Func<Task> waitUntilQuiet, ForgotTimingResults results, Action<string> log)
    {
        // One account per known sample, and one for the warm-up: each address is asked for once.
        var known = new string[samples + 1];
        for (var i = 0; i < known.Length; i++)
        {
            known[i] = NewAddress();
            await Apps.RegisterAsync(setup, url, NewUsername(), known[i]);
        }

        log(string.Create(CultureInfo.InvariantCulture, $"forgot timing: registered {known.Length} user(s) with an address each"));

        // Each registration wrote a confirmation message, which the dispatcher turns into an .eml file: not while measuring.
        await waitUntilQuiet();

        using var client = new TimingClient();
        var accepted = new AcceptedAnswer();
        await client.WarmUpAsync(url);
        accepted.Expect(await ForgotAsync(client, url, known[^1]), "an account's address (warm-up)");
        accepted.Expect(await ForgotAsync(client, url, NewAddress()), "an unknown address (warm-up)");
        var connectsBefore = client.Connects;

        var unknown = new List<string>(samples);
        var times = Kinds.ToDictionary(k => k, _ => new List<double>(samples));
        for (var round = 0; round < samples; round++)
        {
            // Round-robin, the first kind alternating each round, so each follows the other (and its background work) alike.
            for (var i = 0; i < Kinds.Length; i++)
            {
                var kind = Kinds[(round + i) % Kinds.Length];
                if (kind == ForgotAddress.Known)
                {
                    times[kind].Add(accepted.Expect(await ForgotAsync(client, url, known[round]), "an account's address"));
                }
                else
                {
                    unknown.Add(NewAddress());
                    times[kind].Add(accepted.Expect(await ForgotAsync(client, url, unknown[^1]), "an unknown address"));
                }

                await Task.Delay(Pause);
            }
        }

        var finished = Stopwatch.StartNew();
        results.Reconnects = client.Connects - connectsBefore;
        results.Kinds.AddRange(Kinds.Select(k => new KindTiming(ForgotTimingResults.NameOf(k), times[k])));
        foreach (var timing in results.Kinds)
        {
            log(string.Create(CultureInfo.InvariantCulture, $"forgot timing, {timing.Name}: median {timing.Median:F1} ms, p90 {timing.P90:F1} ms ({timing.Milliseconds.Count} samples)"));
        }

        log(string.Create(CultureInfo.InvariantCulture, $"forgot timing: spread of the medians {results.Spread * 100:F1}%, {results.Reconnects} reconnect(s)"));

        await CountMessagesAsync(mailFolder, known[..samples], unknown, finished, results);
        log(results.MessagesWritten is { } after
            ? string.Create(CultureInfo.InvariantCulture, $"forgot timing: all {results.ResetMessages} reset messages written {after.TotalSeconds:F1} s after the last request, {results.UnknownAddressMessages} to an unknown address")
            : string.Create(CultureInfo.InvariantCulture, $"forgot timing: only {results.ResetMessages} of {samples} reset messages written within {DeliveryWait.TotalSeconds:F0} s, {results.UnknownAddressMessages} to an unknown address"));
    }

    /// <summary>
    /// Waits until every timed known address has its reset message in the server's .eml folder (or gives up after
    /// <see cref="DeliveryWait"/>), counting too any message to an unknown address, of which there must be none.
    /// </summary>
    private static async Task CountMessagesAsync(string mailFolder, string[] known, List<string> unknown, Stopwatch finished, ForgotTimingResults results)
    {
        var knownSet = known.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknownSet = unknown.ToHashSet(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            var reset = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var toUnknown = 0;
            foreach (var (to, subject) in ReadMessages(mailFolder))
            {
                if (unknownSet.Contains(to))
                {
                    toUnknown++;
                }
                else if (knownSet.Contains(to) && subject.StartsWith("Reset your ", StringComparison.Ordinal))
                {
                    reset.Add(to);
                }
            }

            results.ResetMessages = reset.Count;
            results.UnknownAddressMessages = toUnknown;
            if (reset.Count == known.Length)
            {
                results.MessagesWritten = finished.Elapsed;
                return;
            }

            if (finished.Elapsed > DeliveryWait)
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The To and Subject headers of every whole .eml file in the folder (a file being written is a .partial).</summary>
    private static IEnumerable<(string To, string Subject)> ReadMessages(string mailFolder)
    {
        if (!Directory.Exists(mailFolder))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(mailFolder, "*.eml"))
        {
            string? to = null, subject = null;
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0)
                {
                    break; // the end of the headers
                }

                if (line.StartsWith("To: ", StringComparison.OrdinalIgnoreCase))
                {
                    to = line[4..].Trim().Trim('<', '>');
                }
                else if (line.StartsWith("Subject: ", StringComparison.OrdinalIgnoreCase))
                {
                    subject = line[9..].Trim();
                }
            }

            if (to is not null)
            {
                yield return (to, subject ?? string.Empty);
            }
        }
    }

    /// <summary>One forgot request, timed from sending the request (built beforehand) to the whole answer read.</summary>
    private static async Task<TimedAnswer> ForgotAsync(TimingClient client, string url, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/api/auth/password/forgot")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["email"] = address })),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await client.SendAsync(request);
    }

    /// <summary>An address of one shape and length for both kinds (the registered ones and the unknown ones), never used before.</summary>
    private static string NewAddress() => $"bench-{Guid.NewGuid():N}@example.com";

    private static string NewUsername() => $"bench-forgot-{Guid.NewGuid():N}";

    /// <summary>Every answer must be 202 with no body and the very same headers: otherwise the answer, not only the timing, tells.</summary>
    private sealed class AcceptedAnswer
    {
        private string? _headers;

        public double Expect(TimedAnswer answer, string what)
        {
            if (answer.Status != HttpStatusCode.Accepted || answer.Body.Length != 0)
            {
                throw new ForgotTimingException(
                    $"forgot for {what} answered {(int)answer.Status} with {(answer.Body.Length == 0 ? "no body" : $"the body {Shorten(answer.Body)}")}, not 202 with no body.");
            }

            _headers ??= answer.Headers;
            if (answer.Headers != _headers)
            {
                throw new ForgotTimingException(
                    $"forgot for {what} answered 202 with other headers than the other requests: [{answer.Headers.Replace('\n', ';')}] vs [{_headers.Replace('\n', ';')}]");
            }

            return answer.Milliseconds;
        }

        private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
    }
}
