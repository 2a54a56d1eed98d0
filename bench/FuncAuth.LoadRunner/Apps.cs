using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace FuncAuth.LoadRunner;

/// <summary>A signing key as FuncAuth:Tokens:SigningKey takes it, generated for this run.</summary>
internal sealed record BenchKey(string Algorithm, string Value)
{
    public static BenchKey Hs256() =>
        new("HS256", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    public static BenchKey Es256()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        return new("ES256", key.ExportPkcs8PrivateKeyPem());
    }
}

/// <summary>The Release builds the suite starts: the Server host and the JwtBearer-protected API.</summary>
internal static class Apps
{
    public const string Password = "correct horse battery";

    /// <summary>FuncAuth:Lockout:LockoutDuration on the suite's servers (see <see cref="StartServer"/>).</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(10);

    /// <summary>FuncAuth:Passkeys:RelyingPartyId on the suite's servers.</summary>
    public const string PasskeyRelyingPartyId = "localhost";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>FuncAuth:Mfa:EncryptionKey for this run's servers (base64 of 32 random bytes), one for all of them.</summary>
    private static readonly string MfaKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>The one origin FuncAuth:Passkeys:Origins lists on the server at <paramref name="port"/>: where its "browser" is.</summary>
    public static string PasskeyOrigin(int port) => string.Create(CultureInfo.InvariantCulture, $"http://{PasskeyRelyingPartyId}:{port}");

    public static string ServerAssembly(string root) =>
        Path.Combine(root, "src", "FuncAuth.Server", "bin", "Release", "net10.0", "FuncAuth.Server.dll");

    public static string JwtBearerAssembly(string root) =>
        Path.Combine(root, "bench", "FuncAuth.JwtBearerApi", "bin", "Release", "net10.0", "FuncAuth.JwtBearerApi.dll");

    public static string Url(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    /// <summary>
    /// The Server host as a deployment runs it (real password cost, default token lifetime, logging at Warning),
    /// its issuer its own URL so JwtBearer finds the keys by discovery, plus the bare endpoint. The environment is
    /// Development only because FuncAuth refuses the emulator's development account anywhere else.
    /// </summary>
    /// <remarks>
    /// No SMTP relay is configured, so in Development the server writes every message (a confirmation, a reset link) as
    /// an .eml file under its local data folder, <paramref name="dataFolder"/>: the suite's own work folder, removed at
    /// the end, rather than the build output, where the files would pile up run after run.
    /// </remarks>
    public static ChildProcess StartServer(string root, BenchKey key, int port, string storage, string dataFolder, IReadOnlyDictionary<string, string?>? more = null)
    {
        var assembly = ServerAssembly(root);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = Url(port),
            ["Logging__LogLevel__Default"] = "Warning",
            ["FuncAuth__Storage__ConnectionString"] = storage,
            ["FuncAuth__Tokens__SigningKey"] = key.Value,
            ["FuncAuth__Tokens__Issuer"] = Url(port),
            ["FuncAuth__Passwords__Iterations"] = Settings.PasswordIterations.ToString(CultureInfo.InvariantCulture),
            ["FuncAuth__Benchmark__BareEndpoint"] = "true",
            ["FuncAuth__LocalDataPath"] = dataFolder,

            // One load generator is one client address: per-client throttling would measure itself, not login
            // (nor forgot, which draws on the same budget).
            ["FuncAuth__Throttling__PermitLimit"] = "0",

            // The sign-in step's TOTP users: their secrets are encrypted under this run's key, as under a Key Vault one.
            ["FuncAuth__Mfa__EncryptionKey"] = MfaKey,

            // The passkey sign-in's relying party: what the software authenticator signs (its origin, and the
            // SHA-256 of the RP id in its authenticator data) must be what the server expects. Browsers treat
            // http://localhost as a secure context, and FuncAuth allows http origins on loopback hosts only.
            ["FuncAuth__Passkeys__RelyingPartyId"] = PasskeyRelyingPartyId,
            ["FuncAuth__Passkeys__Origins__0"] = PasskeyOrigin(port),

            // The login timing step locks one account and times logins to it for a while: a lockout as short as the
            // default minute could end half-way (the step would relock it, but each relock costs five more failures).
            ["FuncAuth__Lockout__LockoutDuration"] = LockoutDuration.ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in more ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return ChildProcess.Start($"FuncAuth.Server ({key.Algorithm})", "dotnet", [assembly], Path.GetDirectoryName(assembly)!, environment);
    }

    /// <summary>
    /// The JwtBearer API told FuncAuth's issuer (its authority) and audience; for HS256, which FuncAuth never
    /// publishes, also the shared secret and the token's kid.
    /// </summary>
    public static ChildProcess StartJwtBearerApi(string root, BenchKey key, string keyId, int port, int serverPort)
    {
        var assembly = JwtBearerAssembly(root);
        var hmac = key.Algorithm == "HS256";
        return ChildProcess.Start($"JwtBearer API ({key.Algorithm})", "dotnet", [assembly], Path.GetDirectoryName(assembly)!,
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = Url(port),
                ["Logging__LogLevel__Default"] = "Warning",
                ["Bench__Issuer"] = Url(serverPort),
                ["Bench__Audience"] = "funcauth",
                ["Bench__HmacKey"] = hmac ? key.Value : null,
                ["Bench__HmacKeyId"] = hmac ? keyId : null,
            });
    }

    /// <summary>Waits until <paramref name="url"/> answers <paramref name="expected"/>; fails with the process's output if it never does.</summary>
    public static async Task WaitForAsync(ChildProcess process, HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK, string? token = null)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (await StatusAsync(client, url, token) == expected)
            {
                return;
            }

            if (process.HasExited || elapsed.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"{process.Name} did not answer {url} with {(int)expected}:{Environment.NewLine}{process.Tail()}");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>The status of a GET, or null when nothing answered.</summary>
    public static async Task<HttpStatusCode?> StatusAsync(HttpClient client, string url, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Registers <paramref name="username"/> with <see cref="Password"/>, and with <paramref name="email"/> when one is given.</summary>
    public static async Task RegisterAsync(HttpClient client, string serverUrl, string username, string? email = null)
    {
        var body = new Dictionary<string, string> { ["username"] = username, ["password"] = Password };
        if (email is not null)
        {
            body["email"] = email;
        }

        using var response = await client.PostAsJsonAsync($"{serverUrl}/api/auth/register", body);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"register answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<string> LoginAsync(HttpClient client, string serverUrl, string username)
    {
        using var response = await client.PostAsJsonAsync($"{serverUrl}/api/auth/login", new { username, password = Password });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }

    public static async Task LogoutAsync(HttpClient client, string serverUrl, string token)
    {
        // Logout checks revocation, so a server still loading a large revocation list answers 503 with Retry-After
        // for a few seconds: wait as told, as a client should.
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{serverUrl}/api/auth/logout");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 10)
            {
                throw new InvalidOperationException($"logout answered {(int)response.StatusCode}");
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The <c>kid</c> of a JWT's header.</summary>
    public static string KeyIdOf(string token)
    {
        var header = token[..token.IndexOf('.', StringComparison.Ordinal)];
        using var document = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(header));
        return document.RootElement.GetProperty("kid").GetString()!;
    }

    /// <summary>The JSON body of a login, as wrk sends it.</summary>
    public static string LoginBody(string username) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = username, ["password"] = Password });
}
