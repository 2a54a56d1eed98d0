using System.Globalization;
using System.Text.RegularExpressions;
using FuncAuth.Clients;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.Authorization;

/// <summary>How the answer goes back to the client (OAuth 2.0 Multiple Response Type Encoding, Form Post Response Mode).</summary>
internal enum ResponseMode
{
    /// <summary>A redirect whose query carries the parameters.</summary>
    Query,

    /// <summary>A page that posts the parameters to the redirect URI (they stay out of the URL and its logs).</summary>
    FormPost,
}

/// <summary>Where the answer to an authorization request may be sent: a registered client and one of its redirect URIs.</summary>
internal sealed record AuthorizationTarget(OAuthClient Client, string RedirectUri, ResponseMode Mode, string? State);

/// <summary>A valid authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1).</summary>
internal sealed record AuthorizationRequest(
    AuthorizationTarget Target,
    string Scope,
    string CodeChallenge,
    string? Nonce,
    bool PromptNone,
    bool PromptLogin,
    int? MaxAge);

/// <summary>An error to send to the client's redirect URI (RFC 6749 §4.1.2.1).</summary>
internal sealed record AuthorizationError(string Error, string Description);

/// <summary>
/// Reads an authorization request from the query, in the order that decides where an error may go: the client and the
/// redirect URI first (wrong there, nothing may be sent anywhere: <see cref="TargetRefusal"/>), then everything else
/// (wrong there, the error goes to the registered redirect URI). A parameter without a value counts as omitted, one sent
/// twice is refused (RFC 6749 §3.1), unknown ones are ignored.
/// </summary>
internal static partial class AuthorizationRequestReader
{
    public const string CodeResponseType = "code";
    public const string S256 = "S256";

    /// <summary>Longest accepted values: enough for any client library's state and nonce, short of filling a table row.</summary>
    public const int MaxStateLength = 2048;
    public const int MaxNonceLength = 512;

    /// <summary>Why no answer may be sent to the client: an error page says this, and nothing redirects.</summary>
    public enum TargetRefusal
    {
        None,
        MissingClient,
        UnknownClient,
        MissingRedirectUri,
        UnregisteredRedirectUri,
    }

    /// <summary>The client and redirect URI, or why there is none (then an error page, never a redirect).</summary>
    public static (AuthorizationTarget? Target, TargetRefusal Refusal, string? ClientId) ReadTarget(IQueryCollection query, ClientRegistry clients)
    {
        var (clientId, clientIdTwice) = Single(query, "client_id");
        if (clientId is null || clientIdTwice)
        {
            return (null, TargetRefusal.MissingClient, null);
        }

        if (clients.Find(clientId) is not { } client)
        {
            return (null, TargetRefusal.UnknownClient, null);
        }

        var (redirectUri, redirectTwice) = Single(query, "redirect_uri");
        if (redirectUri is null || redirectTwice)
        {
            // OpenID Connect requires it, and OAuth 2.1 whenever more than one could be meant: always required here.
            return (null, TargetRefusal.MissingRedirectUri, client.ClientId);
        }

        if (!client.AllowsRedirectUri(redirectUri))
        {
            return (null, TargetRefusal.UnregisteredRedirectUri, client.ClientId);
        }

        // Decided before the other checks, so their errors go back the way the client asked (when it asked validly).
        var (mode, modeTwice) = Single(query, "response_mode");
        var responseMode = mode == "form_post" && !modeTwice ? ResponseMode.FormPost : ResponseMode.Query;
        var (state, stateTwice) = Single(query, "state");
        return (new AuthorizationTarget(client, redirectUri, responseMode, stateTwice || state?.Length > MaxStateLength ? null : state), TargetRefusal.None, client.ClientId);
    }

    /// <summary>The rest of the request, for a target already found; or the error to send there.</summary>
    public static (AuthorizationRequest? Request, AuthorizationError? Error) Read(IQueryCollection query, AuthorizationTarget target)
    {
        foreach (var (name, values) in query)
        {
            if (values.Count > 1)
            {
                return Refuse("invalid_request", $"The parameter {Printable(name)} was sent more than once.");
            }
        }

        if (query.ContainsKey("request"))
        {
            return Refuse("request_not_supported", "Request objects are not supported; send the parameters in the query.");
        }

        if (query.ContainsKey("request_uri"))
        {
            return Refuse("request_uri_not_supported", "request_uri is not supported; send the parameters in the query.");
        }

        if (Value(query, "response_mode") is { } mode && mode is not ("query" or "form_post"))
        {
            return Refuse("invalid_request", "response_mode must be query or form_post.");
        }

        if (Value(query, "state") is { Length: > MaxStateLength })
        {
            return Refuse("invalid_request", string.Create(CultureInfo.InvariantCulture, $"state must be at most {MaxStateLength} characters."));
        }

        switch (Value(query, "response_type"))
        {
            case null:
                return Refuse("invalid_request", "response_type is required; it must be code.");
            case CodeResponseType:
                break;
            default:
                return Refuse("unsupported_response_type", "Only the authorization code flow is supported: response_type must be code.");
        }

        if (!target.Client.AllowsGrantType(ClientVocabulary.AuthorizationCodeGrant))
        {
            return Refuse("unauthorized_client", "This client is not registered for the authorization_code grant.");
        }

        // PKCE with S256 for every client (OAuth 2.1 §4.1.1, RFC 9700 §2.1.1); plain would put the verifier itself in
        // the browser's history, and an omitted method means plain (RFC 7636 §4.3).
        var challenge = Value(query, "code_challenge");
        if (challenge is null)
        {
            return Refuse("invalid_request", "code_challenge is required (PKCE, RFC 7636) with code_challenge_method S256.");
        }

        if (Value(query, "code_challenge_method") != S256)
        {
            return Refuse("invalid_request", "code_challenge_method must be S256; plain is not accepted.");
        }

        if (!Challenge().IsMatch(challenge))
        {
            return Refuse("invalid_request", "code_challenge must be the base64url SHA-256 of the code verifier: 43 characters.");
        }

        var (scope, scopeError) = ReadScope(Value(query, "scope"), target.Client);
        if (scope is null)
        {
            return (null, scopeError);
        }

        var nonce = Value(query, "nonce");
        if (nonce is { Length: > MaxNonceLength })
        {
            return Refuse("invalid_request", string.Create(CultureInfo.InvariantCulture, $"nonce must be at most {MaxNonceLength} characters."));
        }

        var prompts = (Value(query, "prompt") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (prompts.Any(p => p is not ("none" or "login")))
        {
            return Refuse("invalid_request", "prompt must be none or login.");
        }

        var promptNone = prompts.Contains("none");
        var promptLogin = prompts.Contains("login");
        if (promptNone && promptLogin)
        {
            // OpenID Connect Core §3.1.2.1: none with any other value is an error.
            return Refuse("invalid_request", "prompt=none cannot be combined with another prompt value.");
        }

        int? maxAge = null;
        if (Value(query, "max_age") is { } maxAgeText)
        {
            if (!maxAgeText.All(char.IsAsciiDigit) || !int.TryParse(maxAgeText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return Refuse("invalid_request", "max_age must be a whole number of seconds.");
            }

            maxAge = seconds;
        }

        return (new AuthorizationRequest(target, scope, challenge, nonce, promptNone, promptLogin, maxAge), null);
    }

    /// <summary>The granted scope (known values, each allowed to the client, in a fixed order), or invalid_scope.</summary>
    private static (string? Scope, AuthorizationError? Error) ReadScope(string? scope, OAuthClient client)
    {
        var requested = (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.Length == 0)
        {
            return (null, new AuthorizationError("invalid_scope", "scope is required, e.g. openid (with profile, email, offline_access as needed)."));
        }

        if (requested.FirstOrDefault(s => !ClientVocabulary.Scopes.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, new AuthorizationError("invalid_scope", $"The scope {Printable(unknown)} is not one FuncAuth grants ({string.Join(", ", ClientVocabulary.Scopes)})."));
        }

        if (requested.FirstOrDefault(s => !client.AllowedScopes.Contains(s)) is { } refused)
        {
            return (null, new AuthorizationError("invalid_scope", $"This client may not ask for the scope {refused}."));
        }

        return (string.Join(' ', ClientVocabulary.Scopes.Where(requested.Contains)), null);
    }

    private static (AuthorizationRequest?, AuthorizationError?) Refuse(string error, string description) =>
        (null, new AuthorizationError(error, description));

    /// <summary>The value, or null when it is absent or empty (RFC 6749 §3.1); a repeated one is refused before this is asked.</summary>
    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private static (string? Value, bool Repeated) Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return (null, false);
        }

        return values.Count > 1 ? (null, true) : (string.IsNullOrEmpty(values[0]) ? null : values[0], false);
    }

    // A parameter name or value is the client's text: quote it only when it is short and plain (error_description allows
    // only %x20-21 / %x23-5B / %x5D-7E, RFC 6749 §4.1.2.1).
    private static string Printable(string text) =>
        text.Length <= 40 && text.All(c => c is >= '!' and <= '~' && c != '"' && c != '\\') ? text : "(not shown)";

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$", RegexOptions.CultureInvariant)]
    private static partial Regex Challenge();
}
