using System.Text;
using FuncAuth.Http;
using FuncAuth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Clients;

/// <summary>
/// Client authentication at the token endpoint (RFC 6749 §2.3.1): <c>client_secret_basic</c> (an Authorization: Basic
/// header whose id and secret are form-urlencoded first) or <c>client_secret_post</c> (<c>client_id</c> and
/// <c>client_secret</c> parameters), never both. A registered public client names itself with <c>client_id</c> and must
/// not send a secret; a confidential one must authenticate. A request naming no client, or a client that is not
/// registered and sends no secret, is anonymous: the token endpoint's password and refresh_token grants have always
/// accepted (and ignored) such a <c>client_id</c>, and keep doing so.
/// </summary>
internal sealed class ClientAuthentication(ClientRegistry registry, ILogger<ClientAuthentication> logger)
{
    public const string ClientIdParameter = "client_id";
    public const string ClientSecretParameter = "client_secret";

    private const string BasicScheme = "Basic ";

    /// <summary>Who the client of the token request is, or the §5.2 error to answer (its header already set on the response).</summary>
    public ClientAuthenticationResult Authenticate(HttpRequest http, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(parameters);
        var postedId = parameters.GetValueOrDefault(ClientIdParameter);
        var postedSecret = parameters.GetValueOrDefault(ClientSecretParameter);

        string? clientId;
        string? secret;
        var basic = ReadBasic(http);
        if (basic.Present)
        {
            if (basic.Id is null)
            {
                return Failed("The Authorization header's Basic credentials are malformed (RFC 6749 §2.3.1).", http, usedBasic: true);
            }

            if (postedSecret is not null)
            {
                return Invalid("The client authenticated twice (an Authorization header and client_secret); use one method.");
            }

            if (postedId is not null && !string.Equals(postedId, basic.Id, StringComparison.Ordinal))
            {
                return Invalid("The client_id parameter is not the client of the Authorization header.");
            }

            (clientId, secret) = (basic.Id, basic.Secret);
        }
        else
        {
            (clientId, secret) = (postedId, postedSecret);
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return secret is null
                ? ClientAuthenticationResult.Anonymous(null)
                : Failed("A client secret was sent without a client id.", http, basic.Present, "(none)", "a secret without a client id");
        }

        var client = registry.Find(clientId);
        if (client is null)
        {
            // Unregistered, as every client was before clients could be registered: anonymous, unless it tries to
            // authenticate, which can only fail.
            return secret is null
                ? ClientAuthenticationResult.Anonymous(clientId)
                : Failed("The client is unknown or its credentials are wrong.", http, basic.Present, "(unregistered)", "an unregistered client id with a secret");
        }

        if (!client.IsConfidential)
        {
            return secret is null
                ? ClientAuthenticationResult.Public(client)
                : Failed("The client is public: it has no secret and must not send one.", http, basic.Present, client.ClientId, "a public client sent a secret");
        }

        if (secret is null)
        {
            return Failed("The client must authenticate (client_secret_basic or client_secret_post).", http, basic.Present, client.ClientId, "no secret");
        }

        // Never the secret in the event or the answer: only that it was wrong.
        return client.SecretMatches(secret)
            ? ClientAuthenticationResult.Authenticated(client)
            : Failed("The client is unknown or its credentials are wrong.", http, basic.Present, client.ClientId, "a wrong secret");
    }

    /// <summary>
    /// Whether the request tried <c>client_secret_basic</c> (an Authorization header of the Basic scheme): an
    /// <c>invalid_client</c> answer to it is then 401 with a Basic challenge (RFC 6749 §5.2).
    /// </summary>
    public static bool SentBasicCredentials(HttpRequest http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return ReadBasic(http).Present;
    }

    private ClientAuthenticationResult Failed(string description, HttpRequest http, bool usedBasic, string? loggedId = null, string? reason = null)
    {
        if (loggedId is not null)
        {
            SecurityEvents.ClientAuthenticationFailed(logger, loggedId, reason!);
        }

        return ClientAuthenticationResult.Refused(OAuthErrors.InvalidClient(description, http.HttpContext.Response, usedBasic));
    }

    private static ClientAuthenticationResult Invalid(string description) =>
        ClientAuthenticationResult.Refused(OAuthErrors.InvalidRequest(description));

    /// <summary>The Basic credentials, if the request has an Authorization header of that scheme; Id null when they are malformed.</summary>
    private static (bool Present, string? Id, string? Secret) ReadBasic(HttpRequest http)
    {
        var headers = http.Headers.Authorization;
        var header = headers.Count == 1 ? headers[0] : null;
        if (headers.Count > 1)
        {
            // Two Authorization headers: which one authenticates is ambiguous; treat as malformed if either is Basic.
            return headers.Any(h => h is not null && h.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase)) ? (true, null, null) : (false, null, null);
        }

        if (header is not null && header.Trim().Equals(BasicScheme.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return (true, null, null);
        }

        if (header is null || !header.StartsWith(BasicScheme, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme (a bearer token, say) is no client authentication: ignored, as it always was here.
            return (false, null, null);
        }

        var encoded = header[BasicScheme.Length..].Trim();
        var bytes = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return (true, null, null);
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return (true, null, null);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (true, null, null);
        }

        // RFC 6749 §2.3.1: each part is application/x-www-form-urlencoded before it is joined with the colon.
        var id = FormDecode(decoded[..colon]);
        var secret = FormDecode(decoded[(colon + 1)..]);
        return id is null || secret is null ? (true, null, null) : (true, id, secret.Length == 0 ? null : secret);
    }

    private static string? FormDecode(string value) =>
        RequestBody.TryDecodeFormComponent(Encoding.UTF8.GetBytes(value), out var decoded) ? decoded : null;
}

/// <summary>Who the client of a token request is.</summary>
internal sealed record ClientAuthenticationResult
{
    private ClientAuthenticationResult()
    {
    }

    public ClientAuthenticationOutcome Outcome { get; private init; }

    /// <summary>The registered client: authenticated (confidential) or named (public). Null when anonymous or refused.</summary>
    public OAuthClient? Client { get; private init; }

    /// <summary>The client id the request named, registered or not (null when it named none).</summary>
    public string? ClientId { get; private init; }

    /// <summary>The error to answer as it is (<c>invalid_client</c>, 401 with its challenge or 400; or <c>invalid_request</c>).</summary>
    public JsonHttpResult<OAuthError>? Error { get; private init; }

    public static ClientAuthenticationResult Authenticated(OAuthClient client) =>
        new() { Outcome = ClientAuthenticationOutcome.Authenticated, Client = client, ClientId = client.ClientId };

    public static ClientAuthenticationResult Public(OAuthClient client) =>
        new() { Outcome = ClientAuthenticationOutcome.Public, Client = client, ClientId = client.ClientId };

    public static ClientAuthenticationResult Anonymous(string? clientId) =>
        new() { Outcome = ClientAuthenticationOutcome.Anonymous, ClientId = clientId };

    public static ClientAuthenticationResult Refused(JsonHttpResult<OAuthError> error) =>
        new() { Outcome = ClientAuthenticationOutcome.Refused, Error = error };
}

internal enum ClientAuthenticationOutcome
{
    /// <summary>A confidential client that proved its secret.</summary>
    Authenticated,

    /// <summary>A registered public client, named by <c>client_id</c> with no secret (PKCE protects its codes).</summary>
    Public,

    /// <summary>No client, or an unregistered client id with no secret: the password and refresh_token grants' anonymous use.</summary>
    Anonymous,

    /// <summary>Authentication failed or the request was malformed: answer <see cref="ClientAuthenticationResult.Error"/>.</summary>
    Refused,
}
