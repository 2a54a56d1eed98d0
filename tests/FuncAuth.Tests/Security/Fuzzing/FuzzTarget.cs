using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FuncAuth.Http;
using FuncAuth.Tests.Support;

namespace FuncAuth.Tests.Security.Fuzzing;

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
        FuncAuthRoutes.OpenIdConfiguration, FuncAuthRoutes.AuthorizationServerMetadata, FuncAuthRoutes.OpenApi, RequestGenerators.DocsPath,
    ];

    // invalid_client: a client secret without a client id, or credentials of no registered client (RFC 6749 §2.3.1).
    private static readonly string[] OAuthErrorCodes = ["invalid_request", "invalid_grant", "unsupported_grant_type", "invalid_client", "unauthorized_client"];

    private readonly Persona[] _pool = new Persona[PoolSize];
    private readonly Dictionary<string, byte[]> _baseline = new(StringComparer.OrdinalIgnoreCase);
    private byte[] _pageBaseline = [];
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

        foreach (var path in new[] { FuncAuthRoutes.OpenApi, FuncAuthRoutes.JsonWebKeySet, FuncAuthRoutes.OpenIdConfiguration, FuncAuthRoutes.AuthorizationServerMetadata, RequestGenerators.DocsPath })
        {
            using var response = await SupportAsync(c => c.GetAsync(path));
            _baseline[path] = await response.Content.ReadAsByteArrayAsync();
        }

        // An HTML page's own markup (the layout's </title>, say), which a sent string may happen to equal: the error page
        // of an authorization request with no parameters, whose text owes nothing to any request.
        using (var page = await SupportAsync(c => c.GetAsync(FuncAuthRoutes.Authorize)))
        {
            _pageBaseline = await page.Content.ReadAsByteArrayAsync();
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
            // The token endpoint's 401 is invalid_client after Basic credentials of no registered client: an RFC 6749 error too.
            var token = path.Equals(FuncAuthRoutes.Token, StringComparison.OrdinalIgnoreCase);
            var oauth = method == "POST"
                && ((exchange.Status == 400 && (token || path.Equals(FuncAuthRoutes.Revoke, StringComparison.OrdinalIgnoreCase)))
                    || (exchange.Status == 401 && token));

            // The authorization endpoint is opened by a browser: with no client or redirect URI to send an error to, it
            // answers an HTML page (which, like every answer, must not reflect what was sent).
            var authorizePage = method == "GET" && exchange.Status == 400 && path.Equals(FuncAuthRoutes.Authorize, StringComparison.OrdinalIgnoreCase);
            if (oauth)
            {
                if (exchange.MediaType != "application/json" || OAuthErrorOf(exchange.Body) is null)
                {
                    problems.Add($"a {exchange.Status} of the token or revocation endpoint that is not an application/json RFC 6749 §5.2 error object");
                }
            }
            else if (authorizePage)
            {
                if (exchange.MediaType != "text/html")
                {
                    problems.Add("a 400 of the authorization endpoint that is not its HTML error page");
                }
            }
            else if (IsBrowserPage(path) && exchange.MediaType == "text/html")
            {
                // A page a person opens answers its errors as an HTML page (a refused form, an unusable sign-out request).
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
            if (exchange.Body.AsSpan().IndexOf(bytes) >= 0 && (baseline is null || baseline.AsSpan().IndexOf(bytes) < 0)
                && (exchange.MediaType != "text/html" || _pageBaseline.AsSpan().IndexOf(bytes) < 0))
            {
                problems.Add($"the body has {FuzzText.Render(text)}, which the request sent, unescaped");
            }
        }

        return problems;
    }

    /// <summary>The routes a browser navigates to: the pages under auth/, and the authorization and end-session endpoints.</summary>
    private static bool IsBrowserPage(string path) =>
        path.StartsWith("auth/", StringComparison.OrdinalIgnoreCase)
        || path.Equals(FuncAuthRoutes.Authorize, StringComparison.OrdinalIgnoreCase)
        || path.Equals(FuncAuthRoutes.EndSession, StringComparison.OrdinalIgnoreCase);

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

        if (exchange.Status == 204 && request.Route == RequestGenerators.AccountPath)
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
