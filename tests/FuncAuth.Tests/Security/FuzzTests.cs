using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FsCheck;
using FsCheck.Fluent;
using FuncAuth.Http;
using FuncAuth.Tests.Support;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;

namespace FuncAuth.Tests.Security;

/// <summary>
/// Seeded property-based fuzzing (FsCheck) of every route of <see cref="FuncAuthRoutes"/>, the docs page and a few unknown
/// routes, through the Kestrel host's real pipeline on real Table Storage: random methods, content types, headers
/// (genuine tokens of registered users among them), bodies (JSON of every type with the endpoint's field names, forms,
/// raw bytes, multipart, near and over the 8 KiB limit) and Unicode everywhere (lone surrogates both as JSON escapes and
/// as raw invalid UTF-8, RTL marks, NUL, combining marks, emoji). Every answer must be below 500; every error must be
/// problem+json, except the RFC 6749 §5.2 objects of token and revoke; nothing sent may come back unescaped; and the
/// users table must hold exactly the accounts whose registration answered 201. The seeds are fixed, so a failure
/// reproduces: FsCheck prints the seed and the shrunk request; FUNCAUTH_FUZZ_SEED=seed[,gamma] tries another run.
/// </summary>
public sealed class FuzzTests(FuzzTarget target, ITestOutputHelper output) : IClassFixture<FuzzTarget>
{
    /// <summary>The main property's seed and gamma (FsCheck's Rnd; the gamma must be odd).</summary>
    public const ulong Seed = 20_260_611;

    public const ulong Gamma = 11_400_714_819_323_198_485;

    public const int GeneratedRequests = 5_000;

    /// <summary>The token endpoint's property: its own seed (same gamma).</summary>
    public const ulong TokenSeed = 20_260_612;

    public const int TokenParameterSets = 400;

    private const string SeedVariable = "FUNCAUTH_FUZZ_SEED";

    [Fact]
    public async Task Random_requests_to_every_route_get_no_5xx_only_problem_json_errors_and_no_reflected_input()
    {
        var (seed, gamma) = ReplayFromEnvironment() ?? (Seed, Gamma);
        output.WriteLine($"FsCheck seed (seed,gamma) = ({seed},{gamma}){(seed == Seed && gamma == Gamma ? string.Empty : $" from {SeedVariable}")}; {GeneratedRequests} generated requests over {target.Routes.Count} routes of FuncAuthRoutes, the docs and {FuzzGen.UnknownPaths.Length} unknown paths");
        var runner = new OutputRunner(output);
        var property = Prop.ForAll(Arb.From(FuzzGen.Requests(target.Routes), FuzzShrink.Request), (Action<FuzzRequest>)target.Check);

        var clock = Stopwatch.StartNew();
        var before = target.RequestsSent;
        await Task.Run(() => Check.One(Configured(seed, gamma, GeneratedRequests, runner), property), TestContext.Current.CancellationToken);
        var sent = target.RequestsSent - before;
        output.WriteLine($"{sent} fuzz requests sent, shrinking included ({runner.Shrinks} shrinks), and {target.SupportRequests} more to register and log in the users whose tokens were sent, in {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(target.Tally());

        var mismatch = await target.UsersTableMismatchAsync();
        output.WriteLine($"{target.RegisteredCount} accounts registered with 201 (and not deleted); users table: {mismatch ?? "the same accounts"}");
        Assert.True(runner.Failure is null && mismatch is null, $"{runner.Failure}{Environment.NewLine}Users table: {mismatch ?? "as expected"}");
        Assert.True(sent >= GeneratedRequests, $"Only {sent} requests were sent.");
    }

    [Fact]
    public async Task Token_endpoint_answers_any_parameter_set_with_tokens_or_an_rfc6749_error()
    {
        output.WriteLine($"FsCheck seed (seed,gamma) = ({TokenSeed},{Gamma}); {TokenParameterSets} generated parameter sets for {FuncAuthRoutes.Token}");
        var runner = new OutputRunner(output);
        var property = Prop.ForAll(Arb.From(FuzzGen.TokenRequests(), FuzzShrink.TokenRequest), (Action<TokenRequest>)target.CheckToken);

        var clock = Stopwatch.StartNew();
        var before = target.RequestsSent;
        await Task.Run(() => Check.One(Configured(TokenSeed, Gamma, TokenParameterSets, runner), property), TestContext.Current.CancellationToken);
        var sent = target.RequestsSent - before;
        output.WriteLine($"{sent} requests sent, shrinking included ({runner.Shrinks} shrinks), in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.True(runner.Failure is null, runner.Failure);
        Assert.True(sent >= TokenParameterSets, $"Only {sent} requests were sent.");
    }

    private static Config Configured(ulong seed, ulong gamma, int tests, IRunner runner) => Config.Quick
        .WithMaxTest(tests)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed, gamma), FSharpOption<int>.None)))
        .WithRunner(runner);

    private static (ulong Seed, ulong Gamma)? ReplayFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var parts = value.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
        var seed = ulong.Parse(parts[0], CultureInfo.InvariantCulture);
        var gamma = parts.Length > 1 ? ulong.Parse(parts[1], CultureInfo.InvariantCulture) : Gamma;
        return (seed, gamma | 1);
    }

    /// <summary>Writes FsCheck's verdict to the test output and keeps a failure for the assertion after the users-table check.</summary>
    private sealed class OutputRunner(ITestOutputHelper output) : IRunner
    {
        public string? Failure { get; private set; }

        public int Shrinks { get; private set; }

        public void OnStartFixture(Type t)
        {
        }

        public void OnArguments(int ntest, FSharpList<object> args, FSharpFunc<int, FSharpFunc<FSharpList<object>, string>> every)
        {
        }

        public void OnShrink(FSharpList<object> args, FSharpFunc<FSharpList<object>, string> everyShrink) => Shrinks++;

        public void OnFinished(string name, FsCheck.TestResult testResult)
        {
            var text = Runner.onFinishedToString(name, testResult);
            output.WriteLine(text);
            if (!testResult.IsPassed)
            {
                Failure = text;
            }
        }
    }
}

/// <summary>
/// The app under fuzzing, one for the whole class: fresh tables, users whose genuine tokens requests carry (logged in
/// again, or replaced by a new user, whenever a request may have ended their session), what registration answered 201,
/// and the documents that are the same for everyone (so text they contain anyway is not taken for a reflection).
/// </summary>
public sealed class FuzzTarget(StorageFixture storage) : IAsyncLifetime
{
    public const int PoolSize = 3;

    /// <summary>Registered at start and never logged in: requests guess their passwords, towards lockout.</summary>
    public static readonly string[] KnownNames = ["fuzz-known-0", "fuzz-known-1"];

    private const string UsersTable = "FuncAuth:Storage:UsersTableName";

    private static readonly string[] ReadOnlyRoutes =
    [
        FuncAuthRoutes.Verify, FuncAuthRoutes.Sessions, FuncAuthRoutes.Health, FuncAuthRoutes.JsonWebKeySet,
        FuncAuthRoutes.OpenIdConfiguration, FuncAuthRoutes.AuthorizationServerMetadata, FuncAuthRoutes.OpenApi, FuzzGen.DocsPath,
    ];

    private static readonly string[] OAuthErrorCodes = ["invalid_request", "invalid_grant", "unsupported_grant_type"];

    private readonly Persona[] _pool = new Persona[PoolSize];
    private readonly Dictionary<string, byte[]> _baseline = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, int> _tally = new(StringComparer.Ordinal);
    private FuncAuthApp _app = null!;
    private HttpClient _client = null!;
    private int _generation;
    private int _requestsSent;
    private int _supportRequests;

    /// <summary>Every route of <see cref="FuncAuthRoutes"/> (read from the class, so a new route is fuzzed too), in a stable order.</summary>
    public IReadOnlyList<string> Routes { get; } =
    [
        .. typeof(FuncAuthRoutes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal),
    ];

    public int RequestsSent => Volatile.Read(ref _requestsSent);

    public int SupportRequests => Volatile.Read(ref _supportRequests);

    public int RegisteredCount
    {
        get
        {
            lock (_registered)
            {
                return _registered.Count;
            }
        }
    }

    public async ValueTask InitializeAsync()
    {
        _app = new FuncAuthApp(storage.ConnectionString);
        _client = _app.CreateClient();
        for (var i = 0; i < PoolSize; i++)
        {
            _pool[i] = await NewPersonaAsync(i);
        }

        foreach (var name in KnownNames)
        {
            using var registered = await SupportAsync(c => c.RegisterAsync(name, "guarded lantern of the known"));
            await LearnRegistrationAsync(registered);
        }

        foreach (var path in new[] { FuncAuthRoutes.OpenApi, FuncAuthRoutes.JsonWebKeySet, FuncAuthRoutes.OpenIdConfiguration, FuncAuthRoutes.AuthorizationServerMetadata, FuzzGen.DocsPath })
        {
            using var response = await SupportAsync(c => c.GetAsync(path));
            _baseline[path] = await response.Content.ReadAsByteArrayAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>The main property: one request, every rule checked on its answer.</summary>
    public void Check(FuzzRequest request) => CheckAsync(request).GetAwaiter().GetResult();

    /// <summary>The token property: 200 with tokens, or 400 with one of the three RFC 6749 errors that apply.</summary>
    public void CheckToken(TokenRequest request) => CheckTokenAsync(request).GetAwaiter().GetResult();

    /// <summary>Null when the users table holds exactly the accounts registered with 201; otherwise what differs.</summary>
    public async Task<string?> UsersTableMismatchAsync()
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entity in _app.Table(UsersTable).QueryAsync<TableEntity>(filter: "RowKey eq 'account'", select: ["Username"]))
        {
            stored.Add(entity.GetString("Username") ?? "(no Username)");
        }

        List<string> missing;
        List<string> extra;
        lock (_registered)
        {
            missing = [.. _registered.Except(stored).Order(StringComparer.Ordinal)];
            extra = [.. stored.Except(_registered).Order(StringComparer.Ordinal)];
        }

        return missing.Count == 0 && extra.Count == 0
            ? null
            : $"{stored.Count} accounts stored; registered with 201 but not stored: [{string.Join(", ", missing.Select(FuzzText.Render))}]; " +
              $"stored without a 201: [{string.Join(", ", extra.Select(FuzzText.Render))}]";
    }

    public string Tally()
    {
        lock (_tally)
        {
            return "Answers (method route status: count): " + string.Join("; ", _tally.Select(t => $"{t.Key}: {t.Value}"));
        }
    }

    private async Task CheckAsync(FuzzRequest request)
    {
        var persona = await PersonaAsync(request.Subject);
        using var message = Build(request, persona);
        var exchange = await SendAsync(message, request);
        Count($"{request.Method} {request.Route} {exchange.Status}");
        Learn(request, persona, exchange);
        var problems = Problems(request.Method, request.PathForRules, request.Strings().Select(persona.Resolve), exchange);
        if (problems.Count > 0)
        {
            Assert.Fail(Report(problems, request.ToString(), persona, exchange));
        }
    }

    private async Task CheckTokenAsync(TokenRequest request)
    {
        var persona = await PersonaAsync(request.Subject);
        using var message = new HttpRequestMessage(HttpMethod.Post, FuncAuthRoutes.Token)
        {
            Content = new ByteArrayContent(persona.Resolve(request.Body())),
        };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        var exchange = await SendAsync(message, request);
        Count($"token-property POST {FuncAuthRoutes.Token} {exchange.Status}");
        persona.Dirty |= request.HasMarkers && exchange.Status < 300;

        var problems = Problems("POST", FuncAuthRoutes.Token, request.Strings().Select(persona.Resolve), exchange);
        if (exchange.Status == 200)
        {
            if (!HasTokens(exchange.Body))
            {
                problems.Add("a 200 without access_token, token_type Bearer, expires_in and refresh_token");
            }
        }
        else if (exchange.Status != 400)
        {
            problems.Add($"{exchange.Status}: neither 200 nor 400");
        }
        else if (OAuthErrorOf(exchange.Body) is not { } error || !OAuthErrorCodes.Contains(error))
        {
            problems.Add($"a 400 whose error is not one of {string.Join(", ", OAuthErrorCodes)}");
        }

        if (problems.Count > 0)
        {
            Assert.Fail(Report(problems, request.ToString(), persona, exchange));
        }
    }

    /// <summary>The rules every answer keeps, whatever was asked.</summary>
    private List<string> Problems(string method, string path, IEnumerable<string> sent, Exchange exchange)
    {
        var problems = new List<string>();
        if (exchange.Status >= 500)
        {
            problems.Add($"a server error ({exchange.Status})");
        }

        if (exchange.Status >= 400 && method != "HEAD")
        {
            var oauth = method == "POST" && exchange.Status == 400
                && (path.Equals(FuncAuthRoutes.Token, StringComparison.OrdinalIgnoreCase) || path.Equals(FuncAuthRoutes.Revoke, StringComparison.OrdinalIgnoreCase));
            if (oauth)
            {
                if (exchange.MediaType != "application/json" || OAuthErrorOf(exchange.Body) is null)
                {
                    problems.Add("a 400 of the token or revocation endpoint that is not an application/json RFC 6749 §5.2 error object");
                }
            }
            else if (exchange.MediaType != "application/problem+json" || !IsJsonObject(exchange.Body))
            {
                problems.Add($"a {exchange.Status} whose body is not an application/problem+json object");
            }
        }

        _baseline.TryGetValue(path, out var baseline);
        foreach (var text in sent.Where(FuzzText.IsReflectable).Distinct(StringComparer.Ordinal))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            if (exchange.Body.AsSpan().IndexOf(bytes) >= 0 && (baseline is null || baseline.AsSpan().IndexOf(bytes) < 0))
            {
                problems.Add($"the body has {FuzzText.Render(text)}, which the request sent, unescaped");
            }
        }

        return problems;
    }

    private static string Report(List<string> problems, string request, Persona persona, Exchange exchange) =>
        $"{string.Join("; ", problems)}.{Environment.NewLine}Request: {request}{Environment.NewLine}" +
        $"(subject: {FuzzText.Render(persona.Username)}){Environment.NewLine}" +
        $"Answer: {exchange.Status} {exchange.ContentType ?? "(no content type)"}, {exchange.Body.Length} bytes: {FuzzText.Render(exchange.Body, 1500)}" +
        (string.IsNullOrEmpty(exchange.ServerLog) ? string.Empty : $"{Environment.NewLine}The app logged: {(exchange.ServerLog.Length > 3000 ? exchange.ServerLog[..3000] : exchange.ServerLog)}");

    private static HttpRequestMessage Build(FuzzRequest request, Persona persona)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Target(persona.Resolve), UriKind.Relative));
        if (request.Body is not null || request.ContentType is not null)
        {
            var body = new ArrayBufferWriter<byte>();
            request.Body?.Write(body);
            message.Content = new ByteArrayContent(persona.Resolve(body.WrittenSpan.ToArray()));
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", persona.Resolve(request.ContentType));
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, persona.Resolve(value)))
            {
                throw new InvalidOperationException($"The client refused the header {name}.");
            }
        }

        return message;
    }

    private async Task<Exchange> SendAsync(HttpRequestMessage message, object request)
    {
        Interlocked.Increment(ref _requestsSent);
        var logged = _app.Logs.Lines.Count;
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(message, TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException e)
        {
            Assert.Fail($"The request failed in the pipeline: {e}{Environment.NewLine}Request: {request}");
            throw;
        }

        using (response)
        {
            // For a server error, what the app logged about it (the exception) goes into the report.
            var status = (int)response.StatusCode;
            var log = status < 500 ? null : string.Join(Environment.NewLine, _app.Logs.Lines.Skip(logged).Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)));
            return new Exchange(
                status,
                response.Content.Headers.ContentType?.MediaType,
                response.Content.Headers.ContentType?.ToString(),
                await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken),
                log);
        }
    }

    /// <summary>What the answer changed: accounts registered or deleted, a pool user's new password, sessions that may have ended.</summary>
    private void Learn(FuzzRequest request, Persona persona, Exchange exchange)
    {
        if (exchange.Status == 201)
        {
            LearnRegistration(exchange.Body);
        }

        // Only a success can end a session or spend a refresh token (a spent one presented again is refused, as any
        // other, without a success first): then log in again before the next use.
        if (request.HasMarkers && exchange.Status < 300 && !ReadOnlyRoutes.Contains(request.Route))
        {
            persona.Dirty = true;
        }

        if (exchange.Status == 204 && request.Route == FuncAuthRoutes.Password)
        {
            // The pool user's password is now the one this request sent, as it sent it (login normalises alike).
            var body = new ArrayBufferWriter<byte>();
            request.Body!.Write(body);
            try
            {
                using var json = JsonDocument.Parse(persona.Resolve(body.WrittenSpan.ToArray()));
                persona.Password = json.RootElement.GetProperty("new_password").GetString()!;
            }
            catch (JsonException)
            {
                persona.Gone = true;
            }
        }

        if (exchange.Status == 204 && request.Route == FuzzGen.AccountPath)
        {
            lock (_registered)
            {
                _registered.Remove(persona.Username);
            }

            persona.Gone = true;
        }
    }

    private void LearnRegistration(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var username = json.RootElement.GetProperty("username").GetString()!;
        lock (_registered)
        {
            _registered.Add(username);
        }
    }

    private async Task LearnRegistrationAsync(HttpResponseMessage registered)
    {
        Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        LearnRegistration(await registered.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The subject's tokens, current: logged in again after a request that may have ended them, or a new user if that fails.</summary>
    private async Task<Persona> PersonaAsync(int subject)
    {
        var persona = _pool[subject];
        if (persona.Gone)
        {
            return _pool[subject] = await NewPersonaAsync(subject);
        }

        if (!persona.Dirty)
        {
            return persona;
        }

        using var login = await SupportAsync(c => c.LoginAsync(persona.Username, persona.Password));
        if (login.StatusCode != System.Net.HttpStatusCode.OK)
        {
            // Locked out by the requests that guessed its password, or deleted: a new user takes its place.
            return _pool[subject] = await NewPersonaAsync(subject);
        }

        persona.SignedIn(await login.TokensAsync());
        return persona;
    }

    private async Task<Persona> NewPersonaAsync(int subject)
    {
        var persona = new Persona($"fuzz-pool-{subject}-{_generation++}", $"correct horse battery staple {subject}");
        using var registered = await SupportAsync(c => c.RegisterAsync(persona.Username, persona.Password));
        await LearnRegistrationAsync(registered);
        using var login = await SupportAsync(c => c.LoginAsync(persona.Username, persona.Password));
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);
        persona.SignedIn(await login.TokensAsync());
        return persona;
    }

    private Task<HttpResponseMessage> SupportAsync(Func<HttpClient, Task<HttpResponseMessage>> call)
    {
        Interlocked.Increment(ref _supportRequests);
        return call(_client);
    }

    private void Count(string key)
    {
        lock (_tally)
        {
            _tally[key] = _tally.GetValueOrDefault(key) + 1;
        }
    }

    private static bool IsJsonObject(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The <c>error</c> of an RFC 6749 §5.2 object with a string <c>error_description</c>; null for anything else.</summary>
    private static string? OAuthErrorOf(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && json.RootElement.TryGetProperty("error_description", out var description) && description.ValueKind == JsonValueKind.String
                    ? error.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HasTokens(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            return root.TryGetProperty("access_token", out var access) && access.ValueKind == JsonValueKind.String
                && root.TryGetProperty("token_type", out var type) && type.GetString() == "Bearer"
                && root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number
                && root.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record Exchange(int Status, string? MediaType, string? ContentType, byte[] Body, string? ServerLog);

    /// <summary>A pool user: what markers in a request stand for.</summary>
    private sealed class Persona(string username, string password)
    {
        public string Username { get; } = username;

        public string Password { get; set; } = password;

        public string Access { get; private set; } = string.Empty;

        public string Refresh { get; private set; } = string.Empty;

        public string SessionId { get; private set; } = string.Empty;

        /// <summary>A request may have ended its session or rotated its refresh token: log in again before the next use.</summary>
        public bool Dirty { get; set; }

        /// <summary>Deleted, or its password unknown: replace it.</summary>
        public bool Gone { get; set; }

        public void SignedIn((string Access, string Refresh) tokens)
        {
            (Access, Refresh) = tokens;
            SessionId = AuthClient.SessionIdOf(tokens.Access);
            Dirty = false;
        }

        public string Resolve(string text) => FuzzText.Resolve(text, Value);

        public byte[] Resolve(byte[] bytes) => FuzzText.Resolve(bytes, Value);

        private string Value(char kind) => kind switch
        {
            FuzzText.AccessToken => Access,
            FuzzText.RefreshToken => Refresh,
            FuzzText.SessionId => SessionId,
            FuzzText.Username => Username,
            _ => Password,
        };
    }
}

/// <summary>One generated request: a method, a route (with its <c>{id}</c>), query, content type, body and headers.</summary>
public sealed record FuzzRequest(
    string Method,
    string Route,
    string Path,
    string? Id,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? ContentType,
    FuzzBody? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int Subject)
{
    /// <summary>The path the rules look at (no query, no slashes around it).</summary>
    public string PathForRules => Path.Trim('/');

    public bool HasMarkers => Strings().Any(s => s.Contains(FuzzText.MarkerStart, StringComparison.Ordinal));

    /// <summary>Path and query, percent-encoded (a lone surrogate as the bytes of WTF-8: invalid UTF-8).</summary>
    public string Target(Func<string, string> resolve)
    {
        // Kestrel refuses a NUL in the path (%00 included) with a 400 of its own before the app runs, and the test server
        // throws on it: the app can never see one, so it is left out of the path (and only there).
        var path = Id is null ? Path : Path.Replace("{id}", FuzzText.PercentEncode(resolve(Id).Replace("\0", string.Empty, StringComparison.Ordinal), plus: false), StringComparison.Ordinal);
        return Query.Count == 0
            ? path
            : $"{path}?{string.Join('&', Query.Select(q => $"{FuzzText.PercentEncode(q.Key, plus: false)}={FuzzText.PercentEncode(q.Value, plus: false)}"))}";
    }

    /// <summary>Every string the request carries, for the reflection check.</summary>
    public IEnumerable<string> Strings()
    {
        if (Id is not null)
        {
            yield return Id;
        }

        foreach (var (name, value) in Query.Concat(Headers))
        {
            yield return name;
            yield return value;
        }

        if (ContentType is not null)
        {
            yield return ContentType;
        }

        foreach (var text in Body?.Strings() ?? [])
        {
            yield return text;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} /{(Id is null ? Path : Path.Replace("{id}", "{id=" + FuzzText.Render(Id) + "}", StringComparison.Ordinal))}");
        if (Query.Count > 0)
        {
            text.Append(" query [").AppendJoin(", ", Query.Select(q => $"{FuzzText.Render(q.Key)}={FuzzText.Render(q.Value)}")).Append(']');
        }

        text.Append(CultureInfo.InvariantCulture, $" | Content-Type: {(ContentType is null ? "(none)" : FuzzText.Render(ContentType))}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" | {name}: {FuzzText.Render(value)}");
        }

        return text.Append(CultureInfo.InvariantCulture, $" | body: {Body?.ToString() ?? "(none)"} | subject: pool user {Subject}").ToString();
    }
}

/// <summary>A parameter set for the token endpoint, as a form or a JSON object (names may repeat, values may be empty).</summary>
public sealed record TokenRequest(IReadOnlyList<KeyValuePair<string, string>> Parameters, bool Json, FormEncoding Encoding, int Subject)
{
    public string ContentType => Json ? "application/json" : "application/x-www-form-urlencoded";

    public bool HasMarkers => Strings().Any(s => s.Contains(FuzzText.MarkerStart, StringComparison.Ordinal));

    public byte[] Body()
    {
        var body = new ArrayBufferWriter<byte>();
        if (Json)
        {
            new JsonBody(new JObject([.. Parameters.Select(p => new KeyValuePair<JText, JsonSpec>(new JText(p.Key, StringForm.Utf8), new JText(p.Value, StringForm.Utf8)))]), JsonDamage.None).Write(body);
        }
        else
        {
            new FormBody([.. Parameters.Select(p => new FormField(p.Key, p.Value, Encoding))]).Write(body);
        }

        return body.WrittenSpan.ToArray();
    }

    public IEnumerable<string> Strings() => Parameters.SelectMany(p => new[] { p.Key, p.Value });

    public override string ToString()
    {
        var body = Body();
        return $"POST /{FuncAuthRoutes.Token} | Content-Type: {ContentType} | body ({body.Length} bytes): {FuzzText.Render(body, 4000)} | subject: pool user {Subject}";
    }
}

public enum StringForm
{
    /// <summary>Valid UTF-8 JSON; a lone surrogate as a <c>\uD800</c> escape.</summary>
    Utf8,

    /// <summary>Every non-ASCII UTF-16 code unit as a <c>\uXXXX</c> escape.</summary>
    Escaped,

    /// <summary>Bytes as they come: controls unescaped, a lone surrogate as raw WTF-8 bytes (invalid UTF-8).</summary>
    Raw,
}

public enum FormEncoding
{
    Percent,
    PercentWithPlus,
    Raw,
}

public enum JsonDamage
{
    None,
    Truncated,
    TrailingGarbage,
    ByteOrderMark,
    TrailingComma,
    Comment,
}

public abstract record JsonSpec
{
    public abstract void Write(ArrayBufferWriter<byte> into);

    public abstract IEnumerable<string> Strings();
}

public sealed record JText(string Value, StringForm Form) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into) => FuzzText.WriteJsonString(into, Value, Form);

    public override IEnumerable<string> Strings() => [Value];
}

public sealed record JLiteral(string Text) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into) => into.Write(Encoding.ASCII.GetBytes(Text));

    public override IEnumerable<string> Strings() => [];
}

public sealed record JArray(IReadOnlyList<JsonSpec> Items) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into)
    {
        FuzzText.Ascii(into, "[");
        for (var i = 0; i < Items.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : ",");
            Items[i].Write(into);
        }

        FuzzText.Ascii(into, "]");
    }

    public override IEnumerable<string> Strings() => Items.SelectMany(i => i.Strings());
}

public sealed record JObject(IReadOnlyList<KeyValuePair<JText, JsonSpec>> Members) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into)
    {
        FuzzText.Ascii(into, "{");
        for (var i = 0; i < Members.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : ",");
            Members[i].Key.Write(into);
            FuzzText.Ascii(into, ":");
            Members[i].Value.Write(into);
        }

        FuzzText.Ascii(into, "}");
    }

    public override IEnumerable<string> Strings() => Members.SelectMany(m => m.Key.Strings().Concat(m.Value.Strings()));
}

public abstract record FuzzBody
{
    public abstract void Write(ArrayBufferWriter<byte> into);

    public abstract IEnumerable<string> Strings();

    public sealed override string ToString() => Describe();

    protected abstract string Kind { get; }

    protected virtual string Describe()
    {
        var bytes = new ArrayBufferWriter<byte>();
        Write(bytes);
        return $"{Kind} ({bytes.WrittenCount} bytes): {FuzzText.Render(bytes.WrittenSpan, 1500)}";
    }
}

public sealed record JsonBody(JsonSpec Root, JsonDamage Damage) : FuzzBody
{
    protected override string Kind => Damage == JsonDamage.None ? "JSON" : $"JSON, {Damage}";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        var json = new ArrayBufferWriter<byte>();
        Root.Write(json);
        var bytes = json.WrittenSpan;
        switch (Damage)
        {
            case JsonDamage.Truncated:
                into.Write(bytes[..(bytes.Length * 2 / 3)]);
                break;
            case JsonDamage.TrailingGarbage:
                into.Write(bytes);
                into.Write("}x\0"u8);
                break;
            case JsonDamage.ByteOrderMark:
                into.Write("\uFEFF"u8);
                into.Write(bytes);
                break;
            case JsonDamage.TrailingComma when bytes.Length > 1 && bytes[^1] is (byte)'}' or (byte)']':
                into.Write(bytes[..^1]);
                into.Write(","u8);
                into.Write(bytes[^1..]);
                break;
            case JsonDamage.Comment:
                into.Write("/* fuzz */"u8);
                into.Write(bytes);
                break;
            default:
                into.Write(bytes);
                break;
        }
    }

    public override IEnumerable<string> Strings() => Root.Strings();
}

/// <summary>A form field; a null value is a name without <c>=</c>.</summary>
public sealed record FormField(string Name, string? Value, FormEncoding Encoding);

public sealed record FormBody(IReadOnlyList<FormField> Fields) : FuzzBody
{
    protected override string Kind => "form";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : "&");
            FuzzText.WriteFormComponent(into, Fields[i].Name, Fields[i].Encoding);
            if (Fields[i].Value is { } value)
            {
                FuzzText.Ascii(into, "=");
                FuzzText.WriteFormComponent(into, value, Fields[i].Encoding);
            }
        }
    }

    public override IEnumerable<string> Strings() => Fields.SelectMany(f => f.Value is null ? new[] { f.Name } : new[] { f.Name, f.Value });
}

public sealed record RawBody(byte[] Bytes) : FuzzBody
{
    protected override string Kind => "raw bytes";

    public override void Write(ArrayBufferWriter<byte> into) => into.Write(Bytes);

    public override IEnumerable<string> Strings() => [];
}

public sealed record MultipartBody(string Boundary, IReadOnlyList<KeyValuePair<string, string>> Parts) : FuzzBody
{
    protected override string Kind => "multipart";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        foreach (var (name, value) in Parts)
        {
            FuzzText.Ascii(into, $"--{Boundary}\r\nContent-Disposition: form-data; name=\"");
            into.Write(FuzzText.Wtf8(name));
            FuzzText.Ascii(into, "\"\r\n\r\n");
            into.Write(FuzzText.Wtf8(value));
            FuzzText.Ascii(into, "\r\n");
        }

        FuzzText.Ascii(into, $"--{Boundary}--\r\n");
    }

    public override IEnumerable<string> Strings() => Parts.SelectMany(p => new[] { p.Key, p.Value });
}

/// <summary>A JSON object or form made exactly <see cref="Size"/> bytes long by a padding member (or longer, when it already was).</summary>
public sealed record PaddedBody(FuzzBody Inner, int Size) : FuzzBody
{
    protected override string Kind => $"padded to {Size}";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        var unpadded = new ArrayBufferWriter<byte>();
        Padded(0).Write(unpadded);
        Padded(Math.Max(0, Size - unpadded.WrittenCount)).Write(into);
    }

    public override IEnumerable<string> Strings() => Inner.Strings();

    protected override string Describe()
    {
        var bytes = new ArrayBufferWriter<byte>();
        Write(bytes);
        return $"{Inner} {Kind}: {bytes.WrittenCount} bytes in all";
    }

    private FuzzBody Padded(int length) => Inner switch
    {
        JsonBody { Root: JObject root } json => json with
        {
            Root = new JObject([.. root.Members, new(new JText("pad", StringForm.Utf8), new JText(new string('x', length), StringForm.Utf8))]),
        },
        FormBody form => new FormBody([.. form.Fields, new FormField("pad", new string('x', length), FormEncoding.Percent)]),
        _ => new RawBody([.. WrittenBy(Inner), .. Enumerable.Repeat((byte)' ', length)]),
    };

    private static byte[] WrittenBy(FuzzBody body)
    {
        var bytes = new ArrayBufferWriter<byte>();
        body.Write(bytes);
        return bytes.WrittenSpan.ToArray();
    }
}

/// <summary>Text the generators draw from, how it is written on the wire, and how it is shown in a report.</summary>
public static class FuzzText
{
    /// <summary>
    /// Markers (private-use characters, which no generator draws) stand for a pool user's genuine values, replaced at
    /// send time: the request stays the same whatever tokens the run happens to hold.
    /// </summary>
    public const char MarkerStart = '\uE000';

    public const char MarkerEnd = '\uE001';

    public const char AccessToken = 'a';
    public const char RefreshToken = 'r';
    public const char SessionId = 's';
    public const char Username = 'u';
    public const char Password = 'p';

    /// <summary>Strings known to upset parsers, encoders, normalisers and HTML.</summary>
    public static readonly string[] Nasty =
    [
        "<script>alert(1)</script>", "\"'&<>", "\"><img src=x onerror=alert(1)>", "' OR '1'='1", "&amp;&lt;&#x27;", "</title>",
        "\u202E", "\u202Egnp.exe", "\u200B", "\u200D", "\uFEFF", "\u00A0", "\u3000", "\u2028", "\u2029", "\u0085", "\u00AD",
        "\0", "\u0001", "\u001B[31m", "\r\n", "\t", "\u007F", "\u009F", "\b",
        "e\u0301", "\u0301", "a\u0308\u0308\u0308\u0308\u0308\u0308", "\uFB01", "\u2163", "\uFF21\uFF22", "\u0130", "\u00DF", "\u01F0", "\u0345", "\u1E9E", "\u212A",
        "\U0001F600", "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\U0001F1FA\U0001F1F8", "\uD800", "\uDFFF", "\uDBFF\uDBFF", "\uDC00\uD800", "a\uD800b",
        "\u05D0\u05D1\u05D2", "\u0627\u0644\u0639", "\uD55C\uAD6D\uC5B4", "\u4E2D\u6587", "\uFFFD", "\uFFFF", "\uFFFE",
        "%00", "%FF", "%ED%A0%80", "\\u0000", "\\ud800", "\\", "{{7*7}}", "${jndi:x}", "../../etc/passwd", "..\\..\\", "/", "#", "?", "+", "=", "&", ";", ",", " ",
        "null", "NaN", "true", "[]", "{}", "Bearer", "password", "refresh_token", "admin", "root",
    ];

    /// <summary>Nasty strings a Kestrel header value may carry: no CR, LF, NUL or other controls but HTAB.</summary>
    public static readonly string[] NastyForHeaders =
        [.. Nasty.Where(s => s.All(c => c == '\t' || !char.IsControl(c)))];

    public static string Marker(char kind, int subject) => $"{MarkerStart}{kind}{(char)('0' + subject)}{MarkerEnd}";

    /// <summary>At least 8 characters, one of them HTML-sensitive or a control: must not come back verbatim.</summary>
    public static bool IsReflectable(string text) =>
        text.Length >= 8 && text.Any(c => c is '<' or '>' or '"' or '\'' or '&' || char.IsControl(c));

    public static string Resolve(string text, Func<char, string> value)
    {
        if (!text.Contains(MarkerStart, StringComparison.Ordinal))
        {
            return text;
        }

        var resolved = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == MarkerStart && i + 3 < text.Length && text[i + 3] == MarkerEnd)
            {
                resolved.Append(value(text[i + 1]));
                i += 3;
            }
            else
            {
                resolved.Append(text[i]);
            }
        }

        return resolved.ToString();
    }

    public static byte[] Resolve(byte[] bytes, Func<char, string> value)
    {
        ReadOnlySpan<byte> start = [0xEE, 0x80, 0x80];
        if (bytes.AsSpan().IndexOf(start) < 0)
        {
            return bytes;
        }

        var resolved = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes.AsSpan(i).StartsWith(start) && i + 7 < bytes.Length && bytes.AsSpan(i + 5, 3).SequenceEqual("\uE001"u8))
            {
                resolved.Write(System.Text.Encoding.UTF8.GetBytes(value((char)bytes[i + 3])));
                i += 7;
            }
            else
            {
                resolved.Write([bytes[i]]);
            }
        }

        return resolved.WrittenSpan.ToArray();
    }

    public static void Ascii(ArrayBufferWriter<byte> into, string text) => into.Write(System.Text.Encoding.ASCII.GetBytes(text));

    /// <summary>UTF-8, except that a lone surrogate is encoded as if it were a code point: three bytes no UTF-8 decoder accepts.</summary>
    public static byte[] Wtf8(string text)
    {
        var bytes = new ArrayBufferWriter<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }

            WriteCodePoint(bytes, codePoint);
        }

        return bytes.WrittenSpan.ToArray();
    }

    public static void WriteJsonString(ArrayBufferWriter<byte> into, string text, StringForm form)
    {
        Ascii(into, "\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == MarkerStart && text.IndexOf(MarkerEnd, i) is var end and > 0)
            {
                into.Write(System.Text.Encoding.UTF8.GetBytes(text[i..(end + 1)]));
                i = end;
            }
            else if (c is '"' or '\\')
            {
                Ascii(into, $"\\{c}");
            }
            else if (c < 0x20 && form != StringForm.Raw)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else if (c < 0x80)
            {
                into.Write([(byte)c]);
            }
            else if (form == StringForm.Escaped)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                WriteCodePoint(into, char.ConvertToUtf32(c, text[i + 1]));
                i++;
            }
            else if (char.IsSurrogate(c) && form == StringForm.Utf8)
            {
                Ascii(into, $"\\u{(int)c:x4}");
            }
            else
            {
                WriteCodePoint(into, c);
            }
        }

        Ascii(into, "\"");
    }

    public static void WriteFormComponent(ArrayBufferWriter<byte> into, string text, FormEncoding encoding)
    {
        foreach (var (piece, marker) in Pieces(text))
        {
            if (marker || encoding == FormEncoding.Raw)
            {
                into.Write(marker ? System.Text.Encoding.UTF8.GetBytes(piece) : Wtf8(piece));
            }
            else
            {
                Ascii(into, PercentEncode(piece, plus: encoding == FormEncoding.PercentWithPlus));
            }
        }
    }

    /// <summary>Unreserved characters as they are, every other byte of the WTF-8 as %XX.</summary>
    public static string PercentEncode(string text, bool plus)
    {
        var encoded = new StringBuilder();
        foreach (var b in Wtf8(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else if (b == ' ' && plus)
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }

    /// <summary>A string as a C# literal would spell it (markers as «what they stand for»), cut after 300 characters.</summary>
    public static string Render(string text)
    {
        var rendered = new StringBuilder("\"");
        var shown = text.Length > 300 ? text[..240] : text;
        for (var i = 0; i < shown.Length; i++)
        {
            var c = shown[i];
            if (c == MarkerStart && i + 3 < shown.Length && shown[i + 3] == MarkerEnd)
            {
                rendered.Append(MarkerName(shown[i + 1], shown[i + 2]));
                i += 3;
            }
            else
            {
                rendered.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    >= ' ' and <= '~' => c.ToString(),
                    _ => $"\\u{(int)c:X4}",
                });
            }
        }

        rendered.Append('"');
        return text.Length > 300 ? $"{rendered}…(+{text.Length - 240} more characters: {text.Length} in all)" : rendered.ToString();
    }

    /// <summary>Bytes as a C# literal would spell them: ASCII as is, valid UTF-8 as \u escapes, invalid bytes as \xNN.</summary>
    public static string Render(ReadOnlySpan<byte> bytes, int limit)
    {
        var rendered = new StringBuilder("\"");
        var shown = bytes.Length > limit ? bytes[..limit] : bytes;
        while (!shown.IsEmpty)
        {
            if (shown.StartsWith("\uE000"u8) && shown.Length >= 8 && shown[5..8].SequenceEqual("\uE001"u8))
            {
                rendered.Append(MarkerName((char)shown[3], (char)shown[4]));
                shown = shown[8..];
                continue;
            }

            var status = Rune.DecodeFromUtf8(shown, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                rendered.Append(CultureInfo.InvariantCulture, $"\\x{shown[0]:X2}");
                shown = shown[1..];
                continue;
            }

            rendered.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                >= ' ' and <= '~' => ((char)rune.Value).ToString(),
                <= 0xFFFF => $"\\u{rune.Value:X4}",
                _ => $"\\U{rune.Value:X8}",
            });
            shown = shown[consumed..];
        }

        rendered.Append('"');
        return bytes.Length > limit ? $"{rendered}…(+{bytes.Length - limit} more bytes)" : rendered.ToString();
    }

    private static string MarkerName(char kind, char subject) => kind switch
    {
        AccessToken => $"«access token of pool user {subject}»",
        RefreshToken => $"«refresh token of pool user {subject}»",
        SessionId => $"«session id of pool user {subject}»",
        Username => $"«username of pool user {subject}»",
        _ => $"«password of pool user {subject}»",
    };

    private static IEnumerable<(string Piece, bool Marker)> Pieces(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == MarkerStart && i + 3 < text.Length && text[i + 3] == MarkerEnd)
            {
                if (i > start)
                {
                    yield return (text[start..i], false);
                }

                yield return (text[i..(i + 4)], true);
                start = i + 4;
                i += 3;
            }
        }

        if (start < text.Length)
        {
            yield return (text[start..], false);
        }
    }

    private static void WriteCodePoint(ArrayBufferWriter<byte> into, int codePoint)
    {
        byte[] bytes = codePoint switch
        {
            < 0x80 => [(byte)codePoint],
            < 0x800 => [(byte)(0xC0 | (codePoint >> 6)), (byte)(0x80 | (codePoint & 0x3F))],
            < 0x10000 => [(byte)(0xE0 | (codePoint >> 12)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
            _ => [(byte)(0xF0 | (codePoint >> 18)), (byte)(0x80 | ((codePoint >> 12) & 0x3F)), (byte)(0x80 | ((codePoint >> 6) & 0x3F)), (byte)(0x80 | (codePoint & 0x3F))],
        };
        into.Write(bytes);
    }
}

/// <summary>The generators: requests over every route, and parameter sets for the token endpoint.</summary>
public static class FuzzGen
{
    public const string DocsPath = "docs";

    /// <summary>Account deletion, where the build has it: a 204 there removes the pool user's account.</summary>
    public const string AccountPath = "api/auth/account";

    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    public static readonly string[] UnknownPaths =
    [
        "", "api", "api/auth", "api/auth/nothing-here", "api/auth/register/extra", "api/auth/sessions/a/b", ".well-known/unknown",
        "api/openapi.yaml", "favicon.ico", "docs/nothing-here", "API/AUTH/LOGIN", "api/auth/login/", "api//auth//verify",
        "api/auth/%2e%2e/health", "api/health%20", "api/auth/%ED%A0%80", "api/auth/%E2%80%AEnigol",
    ];

    private static readonly char[] WordCharacters = [.. "abcdefghijklmnopqrstuvwxyz0123456789-_."];

    private static readonly string[] JsonTypes =
        ["application/json", "application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "Application/JSON;charset=Utf-8"];

    private static readonly string[] FormTypes =
        ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "application/x-www-form-urlencoded;charset=\"utf-8\""];

    private static readonly string[] OtherContentTypes =
    [
        "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/json; charset=", "application/json; charset=\"\"",
        "application/json; charset=utf8", "application/json;;", "application/json; charset=utf-8; charset=iso-8859-1", "application/json, text/plain",
        "application/x-www-form-urlencoded; charset=latin1", "application/x-www-form-urlencoded, application/json", "text/plain",
        "text/plain; charset=utf-8", "multipart/form-data", "multipart/form-data; boundary=fuzz", "application/problem+json",
        "application/jwt", "text/html", "garbage", "/", "application/", ";", "", " ", "*/*", "application/json\t",
        "application/json; charset=\"utf-8", "application/json; charset=utf-8\"", "application/json; boundary=\u00ff",
        "application/\u202Ejson", "application/json; charset=\uD800",
    ];

    private static readonly string[] Accepts =
    [
        "application/json", "application/problem+json", "*/*", "text/html", "text/plain", "application/xml",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/json;q=0", "image/*", ";;", "",
        "application/*", "application/jwk-set+json", "*/*;q=0", "application/problem+xml", "text/*",
    ];

    private static readonly string[] Schemes = ["Bearer", "bearer", "Basic", "Digest", "Negotiate", "DPoP", "Token", "JWT", "", "Bearer,", "Bearer\t"];

    private static readonly string[] Numbers =
        ["0", "-0", "1", "-1", "1.5", "1e400", "-1e-400", "123456789012345678901234567890", "0.0000001", "1E2", "9007199254740993", "2147483648"];

    private static readonly Gen<string> Word =
        from n in Gen.Choose(1, 10)
        from characters in Gen.ArrayOf(Gen.Elements(WordCharacters), n)
        select new string(characters);

    /// <summary>Any UTF-16 code unit (lone surrogates included) or code point, but the markers'.</summary>
    private static readonly Gen<string> AnyCharacter = Gen.Frequency(
        (3, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (2, Gen.Choose(0, 0x1F).Select(c => ((char)c).ToString())),
        (3, Gen.Choose(0x80, 0xFFFF).Select(c => ((char)(c is FuzzText.MarkerStart or FuzzText.MarkerEnd ? 0xE002 : c)).ToString())),
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Piece = Gen.Frequency(
        (4, Word), (4, Gen.Elements(FuzzText.Nasty)), (2, AnyCharacter), (1, Gen.Elements(" ", "  ", "-", ".")));

    private static readonly Gen<string> Long =
        from piece in Piece
        from length in Gen.Elements(64, 65, 128, 129, 1000, 5000)
        select string.Concat(Enumerable.Repeat(piece, (length / piece.Length) + 1))[..length];

    /// <summary>A string of every kind: empty, a word, nasty pieces strung together, very long.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (1, Gen.Constant(string.Empty)),
        (3, Word),
        (8, Gen.Sized(size => from n in Gen.Choose(1, Math.Max(1, (size / 10) + 1)) from pieces in Gen.ArrayOf(Piece, n) select string.Concat(pieces))),
        (1, Long));

    /// <summary>What a header value can carry through Kestrel: visible ASCII, spaces, tabs, and some other Unicode.</summary>
    private static readonly Gen<string> HeaderText = Gen.Frequency(
        (1, Gen.Constant(string.Empty)),
        (6, from n in Gen.Choose(1, 6)
            from pieces in Gen.ArrayOf(Gen.Frequency((4, Word), (3, Gen.Elements(FuzzText.NastyForHeaders)), (1, Gen.Elements("<", ">", "\"", "'", "&", "\t", " "))), n)
            select string.Concat(pieces)));

    private static readonly Gen<StringForm> StringForms = Gen.Frequency(
        (6, Gen.Constant(StringForm.Utf8)), (2, Gen.Constant(StringForm.Escaped)), (2, Gen.Constant(StringForm.Raw)));

    private static readonly Gen<FormEncoding> FormEncodings = Gen.Frequency(
        (5, Gen.Constant(FormEncoding.Percent)), (2, Gen.Constant(FormEncoding.PercentWithPlus)), (2, Gen.Constant(FormEncoding.Raw)));

    private static readonly Gen<string> Usernames = Gen.Frequency(
        (5, from w in Word from n in Gen.Choose(0, 999_999) select $"{w}{n}"),
        (3, from w in Word from p in Piece from n in Gen.Choose(0, 99_999) select $"{w}{p}{n}"),
        (2, from w in Word from h in Gen.Elements("<b>", "</title>", "<script>", "a&b", "'quoted'", "x>y", "<!--") from n in Gen.Choose(0, 99_999) select $"{w}{h}{n}"),
        (2, Text),
        (1, Gen.Elements(new string('u', 64), new string('u', 65), " padded ", "\u0130stanbul", "\uFF21\uFF44\uFF4D\uFF49\uFF4E")));

    private static readonly Gen<string> Passwords = Gen.Frequency(
        (5, from a in Word from b in Word from c in Word select $"{a} {b} {c} staple"),
        (3, Text),
        (1, Gen.Elements("password", "12345678", string.Empty, "correct horse battery", "short")),
        (1, from p in Piece from n in Gen.Elements(127, 128, 129, 200) select string.Concat(Enumerable.Repeat(p, n))[..n]),
        (1, from a in Word from nasty in Gen.Elements(FuzzText.Nasty) from b in Word select $"{a} {nasty} {b} battery"));

    private static readonly Gen<JsonSpec> Scalars = Gen.Frequency(
        (4, from s in Text from f in StringForms select (JsonSpec)new JText(s, f)),
        (2, Gen.Elements(Numbers).Select(n => (JsonSpec)new JLiteral(n))),
        (2, Gen.Elements("true", "false", "null").Select(n => (JsonSpec)new JLiteral(n))));

    /// <summary>Any JSON value, nested up to two levels.</summary>
    private static readonly Gen<JsonSpec> AnyJson = Nested(Nested(Scalars));

    /// <summary>Requests over every route, the docs page and some unknown paths.</summary>
    public static Gen<FuzzRequest> Requests(IReadOnlyList<string> routes)
    {
        RouteSpec[] specs =
        [
            .. routes.Select(Spec),
            new(DocsPath, "GET", 1, []),
            .. UnknownPaths.Select(p => new RouteSpec(p, "GET", 1, ["username", "password", "token"]) { Unknown = true }),
        ];
        var route = Gen.Frequency([.. specs.Select(s => (s.Unknown ? 1 : s.Weight * 6, Gen.Constant(s)))]);
        return from spec in route
               from subject in Gen.Choose(0, FuzzTarget.PoolSize - 1)
               from method in Gen.Frequency((11, Gen.Constant(spec.Method)), (9, Gen.Elements(Methods)))
               from id in spec.Route.Contains("{id}", StringComparison.Ordinal) ? SessionIds(subject) : Gen.Constant<string?>(null)
               from query in Queries(spec)
               from body in Bodies(spec, subject)
               from contentType in ContentTypes(body)
               from headers in Headers(subject)
               select new FuzzRequest(method, spec.Unknown ? "(unknown)" : spec.Route, spec.Route, id, query, contentType, body, headers, subject);
    }

    /// <summary>
    /// Parameter sets for the token endpoint: any of its parameters and some others, repeated, empty, genuine or not; values
    /// of at most 100 characters, so a set stays under the 8 KiB limit however it is encoded.
    /// </summary>
    public static Gen<TokenRequest> TokenRequests() =>
        from subject in Gen.Choose(0, FuzzTarget.PoolSize - 1)
        from n in Gen.Choose(0, 6)
        from parameters in Gen.ArrayOf(TokenParameter(subject), n)
        from json in Gen.Frequency((2, Gen.Constant(false)), (1, Gen.Constant(true)))
        from encoding in FormEncodings
        select new TokenRequest(parameters, json, encoding, subject);

    private static Gen<KeyValuePair<string, string>> TokenParameter(int subject) =>
        from name in Gen.Frequency(
            (4, Gen.Constant("grant_type")), (2, Gen.Constant("username")), (2, Gen.Constant("password")), (2, Gen.Constant("refresh_token")),
            (1, Gen.Elements("client_id", "scope", "client_secret", "code", "redirect_uri", string.Empty, "GRANT_TYPE", "grant_type ", "grant_type\0")))
        from value in Gen.Frequency(
            (2, Gen.Constant(string.Empty)),
            (6, Capped(FieldValue(name, subject, (FuzzText.Marker(FuzzText.Username, subject), FuzzText.Marker(FuzzText.Password, subject))), 100)),
            (1, Capped(Text, 100)),
            (1, Gen.Elements(FuzzText.Nasty)))
        select new KeyValuePair<string, string>(name, value);

    private static RouteSpec Spec(string route) => route switch
    {
        FuncAuthRoutes.Register or FuncAuthRoutes.Login => new(route, "POST", 4, ["username", "password"]),
        FuncAuthRoutes.Token => new(route, "POST", 4, ["grant_type", "username", "password", "refresh_token", "client_id", "scope"]),
        FuncAuthRoutes.Revoke => new(route, "POST", 3, ["token", "token_type_hint"]),
        FuncAuthRoutes.Password => new(route, "POST", 3, ["current_password", "new_password"]),
        AccountPath => new(route, "DELETE", 3, ["password"]),
        FuncAuthRoutes.Session => new(route, "DELETE", 3, []),
        FuncAuthRoutes.Logout or FuncAuthRoutes.Verify or FuncAuthRoutes.Sessions => new(route, route == FuncAuthRoutes.Logout ? "POST" : "GET", 2, []),
        FuncAuthRoutes.Health or FuncAuthRoutes.JsonWebKeySet or FuncAuthRoutes.OpenIdConfiguration or FuncAuthRoutes.AuthorizationServerMetadata or FuncAuthRoutes.OpenApi
            => new(route, "GET", 1, []),

        // A route added since: fuzzed with the names most endpoints read.
        _ => new(route, "POST", 3, ["username", "password", "token"]),
    };

    private static Gen<string?> SessionIds(int subject) => Gen.Frequency(
        (4, Gen.Constant<string?>(FuzzText.Marker(FuzzText.SessionId, subject))),
        (2, Capped(Text, 300).Select(s => (string?)s)),
        (1, Gen.ArrayOf(Gen.Elements([.. "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]), 22).Select(c => (string?)new string(c))),
        (1, Gen.Elements<string?>(string.Empty, ".", "..", "a/b", "%2F", "\0")));

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> Queries(RouteSpec spec)
    {
        static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
        var none = Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([]);
        var random = from name in Word from value in Capped(Text, 500) select (IReadOnlyList<KeyValuePair<string, string>>)[Pair(name, value)];
        return spec.Route == FuncAuthRoutes.Logout
            ? Gen.Frequency(
                (4, none),
                (2, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "global")])),
                (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "local")])),
                (1, Capped(Text, 500).Select(v => (IReadOnlyList<KeyValuePair<string, string>>)[Pair("scope", v)])),
                (1, Gen.Constant<IReadOnlyList<KeyValuePair<string, string>>>([Pair("scope", "global"), Pair("scope", "local")])))
            : Gen.Frequency((9, none), (1, random));
    }

    private static Gen<FuzzBody?> Bodies(RouteSpec spec, int subject)
    {
        var json = JsonObjects(spec, subject);
        var form = Forms(spec, subject);
        return Gen.Frequency(
            (2, Gen.Constant<FuzzBody?>(null)),
            (1, Gen.Constant<FuzzBody?>(new RawBody([]))),
            (9, json),
            (4, form),
            (1, from root in Gen.Frequency((2, Scalars), (1, Nested(Scalars))) from damage in Damages select (FuzzBody?)new JsonBody(root, damage)),
            (1, from n in Gen.Frequency((3, Gen.Choose(1, 64)), (1, Gen.Choose(65, 1024)), (1, Gen.Elements(8191, 8192, 8193, 9000)))
                from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n)
                select (FuzzBody?)new RawBody(bytes)),
            (1, from who in Personas(subject)
                from boundary in Gen.Elements("fuzz", "----boundary", "a")
                from parts in Gen.CollectToArray(spec.Fields.Select(f => FieldValue(f, subject, who).Select(v => new KeyValuePair<string, string>(f, v))))
                select (FuzzBody?)new MultipartBody(boundary, parts)),
            (2, from inner in Gen.Frequency((3, json), (2, form))
                from size in Gen.Elements(8000, 8191, 8192, 8193, 8300, 16384)
                select (FuzzBody?)new PaddedBody(inner!, size)));
    }

    private static readonly Gen<JsonDamage> Damages = Gen.Frequency(
        (14, Gen.Constant(JsonDamage.None)),
        (1, Gen.Elements(JsonDamage.Truncated, JsonDamage.TrailingGarbage, JsonDamage.ByteOrderMark, JsonDamage.TrailingComma, JsonDamage.Comment)));

    /// <summary>A JSON object with the endpoint's field names (mostly) holding fitting strings (mostly), and sometimes more.</summary>
    private static Gen<FuzzBody?> JsonObjects(RouteSpec spec, int subject) =>
        from who in Personas(subject)
        from fields in Gen.CollectToArray(spec.Fields.Select(f => Gen.Frequency(
            (1, Gen.Constant<KeyValuePair<JText, JsonSpec>?>(null)),
            (6, from v in FieldValue(f, subject, who) from form in StringForms select (KeyValuePair<JText, JsonSpec>?)new(new JText(f, StringForm.Utf8), new JText(v, form))),
            (2, AnyJson.Select(v => (KeyValuePair<JText, JsonSpec>?)new(new JText(f, StringForm.Utf8), v))))))
        from extra in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from extras in Gen.ArrayOf(
            from name in Gen.Frequency((3, Gen.Elements([.. spec.Fields, "Username", "PASSWORD", "user name", "username\0", string.Empty])), (2, Capped(Text, 100)))
            from nameForm in StringForms
            from value in Gen.Frequency((2, AnyJson), (1, FieldValue(name, subject, who).Select(v => (JsonSpec)new JText(v, StringForm.Utf8))))
            select new KeyValuePair<JText, JsonSpec>(new JText(name, nameForm), value),
            extra)
        from damage in Damages
        select (FuzzBody?)new JsonBody(new JObject([.. fields.Where(f => f is not null).Select(f => f!.Value), .. extras]), damage);

    private static Gen<FuzzBody?> Forms(RouteSpec spec, int subject) =>
        from who in Personas(subject)
        from fields in Gen.CollectToArray(spec.Fields.Select(f => Gen.Frequency(
            (1, Gen.Constant<FormField?>(null)),
            (9, from v in FieldValue(f, subject, who) from encoding in FormEncodings select (FormField?)new FormField(f, v, encoding)))))
        from extra in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from extras in Gen.ArrayOf(
            from name in Gen.Frequency((3, Gen.Elements([.. spec.Fields, "Username", string.Empty])), (2, Capped(Text, 100)))
            from value in Gen.Frequency((4, Capped(Text, 300).Select(v => (string?)v)), (1, Gen.Constant<string?>(null)))
            from encoding in FormEncodings
            select new FormField(name, value, encoding),
            extra)
        select (FuzzBody?)new FormBody([.. fields.Where(f => f is not null).Select(f => f!), .. extras]);

    /// <summary>Whose credentials a body carries: random ones, a pool user's genuine ones (or its name with a guess), a known name.</summary>
    private static Gen<(string Username, string Password)> Personas(int subject)
    {
        var username = FuzzText.Marker(FuzzText.Username, subject);
        var password = FuzzText.Marker(FuzzText.Password, subject);
        return Gen.Frequency(
            (5, from u in Usernames from p in Passwords select (u, p)),
            (3, from p in Gen.Frequency((6, Gen.Constant(password)), (1, Passwords)) select (username, p)),
            (1, from u in Gen.Elements(FuzzTarget.KnownNames) from p in Passwords select (u, p)),
            (1, from u in Usernames select (u, password)));
    }

    private static Gen<string> FieldValue(string field, int subject, (string Username, string Password) who) => field switch
    {
        "username" => Gen.Constant(who.Username),
        "password" => Gen.Constant(who.Password),
        "current_password" => Gen.Frequency((3, Gen.Constant(FuzzText.Marker(FuzzText.Password, subject))), (1, Passwords)),
        "new_password" => Passwords,
        "grant_type" => Gen.Frequency(
            (6, Gen.Elements("password", "refresh_token")),
            (2, Gen.Elements("authorization_code", "client_credentials", "PASSWORD", "refresh_token ", "urn:ietf:params:oauth:grant-type:device_code", string.Empty)),
            (1, Capped(Text, 300))),
        "refresh_token" or "token" => Gen.Frequency(
            (3, Gen.Constant(FuzzText.Marker(FuzzText.RefreshToken, subject))),
            (2, Gen.Constant(FuzzText.Marker(FuzzText.AccessToken, subject))),
            (1, Gen.ArrayOf(Gen.Elements([.. "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"]), 43).Select(c => new string(c))),
            (2, Text)),
        "token_type_hint" => Gen.Frequency((3, Gen.Elements("refresh_token", "access_token")), (1, Text)),
        _ => Text,
    };

    private static Gen<string?> ContentTypes(FuzzBody? body)
    {
        var fitting = (body is PaddedBody padded ? padded.Inner : body) switch
        {
            JsonBody => Gen.Elements(JsonTypes).Select(t => (string?)t),
            FormBody => Gen.Elements(FormTypes).Select(t => (string?)t),
            MultipartBody multipart => Gen.Constant<string?>($"multipart/form-data; boundary={multipart.Boundary}"),
            _ => Gen.Constant<string?>(null),
        };
        return Gen.Frequency(
            (7, fitting),
            (1, Gen.Constant<string?>(null)),
            (3, Gen.Elements(OtherContentTypes).Select(t => (string?)t)),
            (1, Gen.Elements(JsonTypes.Concat(FormTypes).ToArray()).Select(t => (string?)t)),
            (1, HeaderText.Select(t => (string?)t)));
    }

    private static Gen<IReadOnlyList<KeyValuePair<string, string>>> Headers(int subject)
    {
        static KeyValuePair<string, string> Header(string name, string value) => new(name, value);
        var access = FuzzText.Marker(FuzzText.AccessToken, subject);
        var authorization = Gen.Frequency(
            (4, Gen.Constant<string[]>([])),
            (6, Gen.Constant<string[]>([$"Bearer {access}"])),
            (1, Gen.Elements("bearer ", "BEARER ", "Bearer  ", "Bearer\t").Select(p => new[] { p + access })),
            (1, Gen.Constant<string[]>([$"Bearer {access} "])),
            (1, HeaderText.Select(t => new[] { $"Bearer {access}{t}" })),
            (1, Gen.Constant<string[]>([$"Bearer {FuzzText.Marker(FuzzText.RefreshToken, subject)}"])),
            (2, from scheme in Gen.Elements(Schemes) from t in HeaderText select new[] { $"{scheme} {t}" }),
            (1, Gen.Elements("Bearer", "Bearer ", "Bearer a b", "Basic", string.Empty, " ", ",", "Bearer ,").Select(v => new[] { v })),
            (1, Gen.Elements(8185, 8186, 9000, 16000).Select(n => new[] { "Bearer " + new string('A', n) })),
            (1, Gen.Constant<string[]>(["Basic ZnV6ejpwYXNzd29yZA=="])),
            (1, Gen.Constant<string[]>([$"Bearer {access}", $"Bearer {access}"])));
        var accept = Gen.Frequency(
            (3, Gen.Constant<string[]>([])),
            (5, Gen.Elements(Accepts).Select(a => new[] { a })),
            (1, HeaderText.Select(a => new[] { a })));
        var ifNoneMatch = Gen.Frequency(
            (8, Gen.Constant<string[]>([])),
            (2, Gen.Elements("*", "\"x\"", "W/\"x\"", "\"", "W/", ",,,", "*, \"a\"").Select(v => new[] { v })),
            (1, HeaderText.Select(v => new[] { v })));
        var other = Gen.Frequency(
            (1, Gen.Elements(4000, 8000, 12000).Select(n => Header("X-Fuzz-Padding", new string('p', n)))),
            (2, from name in Word from value in HeaderText select Header($"X-Fuzz-{name}", value)),
            (1, HeaderText.Select(v => Header("X-Forwarded-For", v))),
            (1, HeaderText.Select(v => Header("Cookie", v))),
            (1, HeaderText.Select(v => Header("Origin", v))),
            (1, HeaderText.Select(v => Header("User-Agent", v))));
        return from a in authorization
               from b in accept
               from c in ifNoneMatch
               from n in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
               from others in Gen.ArrayOf(other, n)
               select (IReadOnlyList<KeyValuePair<string, string>>)
               [
                   .. a.Select(v => Header("Authorization", v)),
                   .. b.Select(v => Header("Accept", v)),
                   .. c.Select(v => Header("If-None-Match", v)),
                   .. others,
               ];
    }

    private static Gen<JsonSpec> Nested(Gen<JsonSpec> inner) => Gen.Frequency(
        (6, Scalars),
        (1, from n in Gen.Choose(0, 3) from items in Gen.ArrayOf(inner, n) select (JsonSpec)new JArray(items)),
        (1, from n in Gen.Choose(0, 3)
            from members in Gen.ArrayOf(from k in Capped(Text, 50) from f in StringForms from v in inner select new KeyValuePair<JText, JsonSpec>(new JText(k, f), v), n)
            select (JsonSpec)new JObject(members)));

    private static Gen<string> Capped(Gen<string> text, int length) => text.Select(s => s.Length > length ? s[..length] : s);

    private sealed record RouteSpec(string Route, string Method, int Weight, string[] Fields)
    {
        public bool Unknown { get; init; }
    }
}

/// <summary>Shrinking toward the smallest request that still fails: fewer headers, no query, a smaller body, shorter strings.</summary>
public static class FuzzShrink
{
    public static IEnumerable<FuzzRequest> Request(FuzzRequest request)
    {
        for (var i = 0; i < request.Headers.Count; i++)
        {
            yield return request with { Headers = [.. request.Headers.Where((_, j) => j != i)] };
        }

        if (request.Query.Count > 0)
        {
            yield return request with { Query = [] };
        }

        if (request.Body is not null)
        {
            yield return request with { Body = null };
            foreach (var body in Body(request.Body))
            {
                yield return request with { Body = body };
            }
        }

        if (request.ContentType is not null)
        {
            yield return request with { ContentType = null };
        }

        if (request.Id is not null)
        {
            foreach (var id in Text(request.Id))
            {
                yield return request with { Id = id };
            }
        }

        for (var i = 0; i < request.Headers.Count; i++)
        {
            foreach (var value in Text(request.Headers[i].Value))
            {
                var index = i;
                yield return request with { Headers = [.. request.Headers.Select((h, j) => j == index ? new KeyValuePair<string, string>(h.Key, value) : h)] };
            }
        }
    }

    public static IEnumerable<TokenRequest> TokenRequest(TokenRequest request)
    {
        for (var i = 0; i < request.Parameters.Count; i++)
        {
            yield return request with { Parameters = [.. request.Parameters.Where((_, j) => j != i)] };
        }

        for (var i = 0; i < request.Parameters.Count; i++)
        {
            foreach (var value in Text(request.Parameters[i].Value))
            {
                var index = i;
                yield return request with { Parameters = [.. request.Parameters.Select((p, j) => j == index ? new KeyValuePair<string, string>(p.Key, value) : p)] };
            }
        }
    }

    private static IEnumerable<FuzzBody> Body(FuzzBody body)
    {
        switch (body)
        {
            case PaddedBody padded:
                yield return padded.Inner;
                break;
            case JsonBody json:
                if (json.Damage != JsonDamage.None)
                {
                    yield return json with { Damage = JsonDamage.None };
                }

                foreach (var root in Json(json.Root))
                {
                    yield return json with { Root = root };
                }

                break;
            case FormBody form:
                for (var i = 0; i < form.Fields.Count; i++)
                {
                    yield return new FormBody([.. form.Fields.Where((_, j) => j != i)]);
                }

                for (var i = 0; i < form.Fields.Count; i++)
                {
                    foreach (var value in Text(form.Fields[i].Value ?? string.Empty))
                    {
                        var index = i;
                        yield return new FormBody([.. form.Fields.Select((f, j) => j == index ? f with { Value = value } : f)]);
                    }
                }

                break;
            case RawBody raw when raw.Bytes.Length > 1:
                yield return new RawBody(raw.Bytes[..(raw.Bytes.Length / 2)]);
                yield return new RawBody(raw.Bytes[(raw.Bytes.Length / 2)..]);
                break;
            case MultipartBody multipart:
                for (var i = 0; i < multipart.Parts.Count; i++)
                {
                    yield return multipart with { Parts = [.. multipart.Parts.Where((_, j) => j != i)] };
                }

                break;
        }
    }

    private static IEnumerable<JsonSpec> Json(JsonSpec json)
    {
        switch (json)
        {
            case JObject o:
                for (var i = 0; i < o.Members.Count; i++)
                {
                    yield return new JObject([.. o.Members.Where((_, j) => j != i)]);
                }

                for (var i = 0; i < o.Members.Count; i++)
                {
                    foreach (var value in Json(o.Members[i].Value))
                    {
                        var index = i;
                        yield return new JObject([.. o.Members.Select((m, j) => j == index ? new KeyValuePair<JText, JsonSpec>(m.Key, value) : m)]);
                    }
                }

                break;
            case JArray a:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    yield return new JArray([.. a.Items.Where((_, j) => j != i)]);
                }

                break;
            case JText t:
                foreach (var value in Text(t.Value))
                {
                    yield return t with { Value = value };
                }

                if (t.Form != StringForm.Utf8)
                {
                    yield return t with { Form = StringForm.Utf8 };
                }

                break;
        }
    }

    /// <summary>Shorter strings (never through a marker): empty, each half, one character less.</summary>
    private static IEnumerable<string> Text(string text)
    {
        if (text.Length == 0 || text.Contains(FuzzText.MarkerStart, StringComparison.Ordinal))
        {
            yield break;
        }

        yield return string.Empty;
        if (text.Length > 1)
        {
            yield return text[..(text.Length / 2)];
            yield return text[(text.Length / 2)..];
        }

        if (text.Length <= 16)
        {
            for (var i = 0; i < text.Length && text.Length > 1; i++)
            {
                yield return text.Remove(i, 1);
            }
        }
    }
}
