namespace FuncAuth.Http.Pipeline;

/// <summary>
/// Which pages on other origins may read an endpoint's answers (CORS, the Fetch standard), for single-page apps that
/// sign in with FuncAuth from their own origin. Only simple requests are answered: the ones an OIDC library in a browser
/// makes (discovery and keys by GET, the token and revocation endpoints by form POST) need no preflight.
/// </summary>
internal enum CrossOrigin
{
    /// <summary>Same origin only: no CORS headers (every page, and every endpoint a browser app has no need to call).</summary>
    None,

    /// <summary>A public document any page may read: <c>Access-Control-Allow-Origin: *</c>, never with credentials.</summary>
    Anyone,

    /// <summary>Pages on a registered client's origin (that of one of its http(s) redirect URIs), named back exactly.</summary>
    RegisteredClients,
}
