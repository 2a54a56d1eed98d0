namespace FuncAuth.Http.Pipeline;

/// <summary>Which per-client budget a request draws on before its handler runs (see <see cref="ClientThrottle"/>).</summary>
internal enum Throttle
{
    /// <summary>No budget: cheap, public or already authenticated requests.</summary>
    None,

    /// <summary>
    /// The strict budget of requests that check a password or create an account: each costs a PBKDF2 hash and is what
    /// a guesser or a sprayer sends. Lockout protects each name; this protects the service from one source.
    /// </summary>
    PasswordChecks,

    /// <summary>
    /// The generous budget of requests that carry a random 256-bit secret (refresh, revoke): guessing one is hopeless,
    /// so the limit is only against one source spending the storage account's transactions; many users share one
    /// address behind carrier-grade NAT or an office proxy, so it must not be the password budget.
    /// </summary>
    TokenRequests,
}

/// <summary>What body an endpoint reads: the runner checks its media type (415) and size (413) before the handler.</summary>
internal enum BodyKind
{
    /// <summary>No body is read.</summary>
    None,

    /// <summary><c>application/json</c>, UTF-8.</summary>
    Json,

    /// <summary><c>application/json</c> or <c>application/x-www-form-urlencoded</c>, UTF-8 (login, like an OAuth password form).</summary>
    JsonOrForm,

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> or a JSON object of strings, UTF-8: OAuth 2.0 parameters (RFC 6749 §3.2),
    /// the form listed first as the standard's own.
    /// </summary>
    OAuthParameters,

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> only, UTF-8: what an HTML form of the pages FuncAuth serves posts (a
    /// browser never sends JSON from a form, so nothing else is read).
    /// </summary>
    Form,

    /// <summary>
    /// <c>application/x-ndjson</c> (UTF-8, one JSON value per line), streamed: the runner checks the media type (415) but
    /// reads nothing, and the handler reads <see cref="EndpointRequest.Http"/>'s body line by line, holding one line at a time.
    /// </summary>
    NdJson,
}
