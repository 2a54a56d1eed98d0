using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Pages;
using FuncAuth.Security;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static FuncAuth.Authorization.AuthorizationRequestReader;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Authorization;

/// <summary>
/// <c>GET api/auth/authorize</c>: the authorization endpoint (RFC 6749 §4.1, OAuth 2.1, OpenID Connect Core §3.1.2).
/// </summary>
internal sealed class AuthorizationEndpoints(
    ClientRegistry clients,
    BrowserSessionLookup browserSessions,
    AuthorizationCodeIssuer codes,
    TimeProvider time,
    IOptions<TokenOptions> tokens,
    IOptions<EmailOptions> email,
    ILogger<AuthorizationEndpoints> logger)
{
    private const string Tag = "OpenID Connect";

    private readonly string _issuer = tokens.Value.Issuer;
    private readonly string _productName = email.Value.ProductName;

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.Authorize, FuncAuthRoutes.Authorize, Tag, (AuthorizationEndpoints api, EndpointRequest request, CancellationToken ct) => api.AuthorizeAsync(request, ct)) with
        {
            Summary = "OAuth 2.0 / OpenID Connect authorization endpoint",
            Description = "The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, OpenID Connect Core §3.1) for registered " +
                "clients (FuncAuth:Clients). Parameters: client_id, redirect_uri (registered; exact match, a loopback one on any port), " +
                "response_type=code, code_challenge with code_challenge_method=S256 (required; plain is refused), scope (openid, " +
                "profile, email, offline_access, as the client may), state (returned unchanged), nonce, prompt (none or login), " +
                "max_age, login_hint, response_mode (query or form_post). An unknown client_id or a missing or unregistered " +
                "redirect_uri answers an HTML error page (400) and redirects nowhere. Every other error is sent to the redirect URI " +
                "(error, error_description, state, iss). Without a single-sign-on session (or with prompt=login, or when the sign-in " +
                "is older than max_age) the browser is sent to the sign-in page with the same query (prompt=none answers " +
                "login_required instead); with one, a single-use code valid for 60 seconds is sent to the redirect URI with state " +
                "and iss (RFC 9207): a 302 redirect, or with response_mode=form_post a page whose form posts them there.",
            Throttle = Throttle.TokenRequests,
            Describe = builder => builder
                .Produces<string>(Status400BadRequest, HtmlPage.MediaType)
                .Produces(Status302Found)
                .WithResponseHeader(Status302Found, "Location", "The client's redirect URI with code (or error), state and iss; or the sign-in page."),
        },
    ];

    private async ValueTask<Results<HtmlPage, RedirectHttpResult>> AuthorizeAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var (target, refusal, clientId) = ReadTarget(http.Query, clients);
        if (target is null)
        {
            if (refusal == TargetRefusal.UnregisteredRedirectUri)
            {
                // Could be a typo in an app's settings; could be a link crafted to send someone's code elsewhere.
                SecurityEvents.AuthorizationRedirectRefused(logger, clientId!);
            }

            return AuthorizationResponses.ErrorPage(http, _productName, refusal);
        }

        var (authorization, error) = Read(http.Query, target);
        if (authorization is null)
        {
            return Send(http, target, ("error", error!.Error), ("error_description", error.Description));
        }

        var session = await browserSessions(http, cancellationToken);
        var authTime = session is null ? (DateTimeOffset?)null : session.AuthTime ?? session.CreatedAt;
        var tooOld = authorization.MaxAge is { } maxAge && authTime is { } signedIn && time.GetUtcNow() - signedIn > TimeSpan.FromSeconds(maxAge);
        if (session is null || authorization.PromptLogin || tooOld)
        {
            return authorization.PromptNone
                ? Send(http, target, ("error", "login_required"), ("error_description", "The user is not signed in (or must sign in again), and prompt=none forbids asking."))
                : AuthorizationResponses.ToSignIn(http);
        }

        var grant = new AuthorizationGrant(
            target.Client.ClientId,
            target.RedirectUri,
            authorization.CodeChallenge,
            authorization.Nonce,
            authorization.Scope,
            session.UserId,
            session.Username,
            session.Id,
            authTime!.Value,
            session.AuthenticationMethods);
        var code = await codes(grant, cancellationToken);
        SecurityEvents.AuthorizationCodeIssued(logger, session.UserId, target.Client.ClientId, session.Id);
        return Send(http, target, ("code", code));
    }

    private Results<HtmlPage, RedirectHttpResult> Send(HttpRequest http, AuthorizationTarget target, params (string Name, string Value)[] parameters) =>
        AuthorizationResponses.ToClient(http, _productName, _issuer, target, parameters);
}
