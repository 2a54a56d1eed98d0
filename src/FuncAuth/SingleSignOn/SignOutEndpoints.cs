using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Email;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.OpenIdConnect;
using FuncAuth.Pages;
using FuncAuth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// <c>api/auth/end-session</c>: OpenID Connect RP-Initiated Logout 1.0. With an <c>id_token_hint</c> this issuer signed for
/// the browser's session (its <c>sid</c>, or its user), the browser session ends at once, with every client session that
/// came from it (their access tokens are refused everywhere), the cookie is cleared, and the user goes to the
/// <c>post_logout_redirect_uri</c> (with <c>state</c>) or sees a signed-out page. Without one, a page asks the user to confirm
/// with a POST form (anti-forgery protected): a relying party, or any page elsewhere, cannot sign a user out silently.
/// A <c>post_logout_redirect_uri</c> must be registered for the client (the hint's <c>aud</c>, or <c>client_id</c>); any
/// other is answered with an error page, never followed.
/// </summary>
internal sealed class SignOutEndpoints(
    BrowserSessions browsers,
    IdTokens idTokens,
    ClientRegistry clients,
    PageCsrf csrf,
    IOptions<EmailOptions> email,
    ILogger<SignOutEndpoints> logger)
{
    public const string IdTokenHintParameter = "id_token_hint";
    public const string ClientIdParameter = "client_id";
    public const string RedirectParameter = "post_logout_redirect_uri";
    public const string StateParameter = "state";

    private const string Tag = "OpenID Connect";

    private const string Behaviour = " With an id_token_hint of the browser's session (sid or sub), ends the single-sign-on " +
        "session and every client session started from it, clears the cookie, then 303 to the post_logout_redirect_uri (with " +
        "state) or a signed-out page. Without one, a confirmation page whose form (anti-forgery protected) POSTs here. A " +
        "post_logout_redirect_uri not registered for the client (the hint's aud, or client_id), an invalid hint, or a client_id " +
        "that is not the hint's: an error page (400), never a redirect.";

    private readonly string _productName = email.Value.ProductName;

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.SignOut, FuncAuthRoutes.EndSession, Tag, (SignOutEndpoints api, EndpointRequest request, CancellationToken ct) => api.SignOutAsync(request, ct)) with
        {
            Summary = "OpenID Connect end-session (RP-Initiated Logout)",
            Description = "Parameters in the query: id_token_hint, client_id, post_logout_redirect_uri, state." + Behaviour,
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.SignOutSubmit, FuncAuthRoutes.EndSession, Tag, (SignOutEndpoints api, EndpointRequest request, CancellationToken ct) => api.SignOutAsync(request, ct)) with
        {
            Summary = "OpenID Connect end-session (POST)",
            Description = "The same parameters as a form; with the confirmation page's anti-forgery token (field `csrf`), the " +
                "user's confirmation: the browser session ends. A form with a wrong token, or the confirmation sent cross-site, " +
                "is refused with a 403 page." + Behaviour,
            Body = BodyKind.Form,
            BodySchema = typeof(EndSessionForm),
            Describe = builder => SignInPageEndpoints.HtmlErrors(builder, Status400BadRequest, Status403Forbidden),
        },
    ];

    private async ValueTask<Results<HtmlPage, SeeOther>> SignOutAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var http = request.Http;
        var isPost = HttpMethods.IsPost(http.Method);
        if (ReadParameters(request, isPost) is not { } parameters)
        {
            return Error(http, "The request could not be read: send each parameter once.");
        }

        var confirmed = false;
        if (isPost && parameters.ContainsKey(PageCsrf.FieldName))
        {
            // The user's answer to the confirmation page: only from that page, in this browser.
            if (string.Equals(http.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase)
                || !csrf.Verify(http, parameters[PageCsrf.FieldName]))
            {
                SecurityEvents.PageFormForgeryRefused(logger, http.Path.Value ?? string.Empty);
                return SignInPageMarkup.Refused(http, _productName);
            }

            confirmed = true;
        }

        var clientId = NonEmpty(parameters.GetValueOrDefault(ClientIdParameter));
        var redirect = NonEmpty(parameters.GetValueOrDefault(RedirectParameter));
        var state = NonEmpty(parameters.GetValueOrDefault(StateParameter));
        IdTokenHint? hint = null;
        if (NonEmpty(parameters.GetValueOrDefault(IdTokenHintParameter)) is { } idTokenHint)
        {
            hint = idTokens.ReadHint(idTokenHint);
            if (hint is null || (clientId is not null && !string.Equals(clientId, hint.ClientId, StringComparison.Ordinal)))
            {
                SecurityEvents.IdTokenHintRefused(logger);
                return Error(http, "The id_token_hint is not an ID token this server issued to the client.");
            }
        }

        // Everything about where to go is settled before anything is ended: a refused redirect changes nothing.
        clientId ??= hint?.ClientId;
        if (clientId is not null && clients.Find(clientId) is null)
        {
            return Error(http, "The client_id is not a registered client.");
        }

        if (redirect is not null)
        {
            if (clientId is null || !clients.Find(clientId)!.AllowsPostLogoutRedirectUri(redirect))
            {
                SecurityEvents.PostLogoutRedirectRefused(logger, clientId ?? "none");
                return Error(http, "The post_logout_redirect_uri is not registered for this client, so it cannot be followed.");
            }
        }

        var browser = await browsers.FindAsync(http, cancellationToken);
        if (browser is null)
        {
            // Nothing to end here (already signed out, or another browser): the request is done as asked.
            BrowserSessions.Clear(http);
            return Done(http, redirect, state);
        }

        var matches = hint is not null
            && (string.Equals(hint.SessionId, browser.Id, StringComparison.Ordinal) || string.Equals(hint.Subject, browser.UserId, StringComparison.Ordinal));
        if (!matches && !confirmed)
        {
            // Its form's POST ends in a redirect to the (registered) post-logout URI, which the page's form-action must allow.
            var confirm = SignOutPage.Confirm(http, _productName, csrf.Issue(http), clientId, redirect, state);
            return redirect is null ? confirm : confirm.WithFormAction("'self' " + AuthorizationResponses.FormActionSource(redirect));
        }

        await browsers.EndAsync(http, browser, "signed out (end-session)");
        return Done(http, redirect, state);
    }

    private Results<HtmlPage, SeeOther> Done(HttpRequest http, string? redirect, string? state) =>
        redirect is null
            ? SignOutPage.SignedOut(http, _productName)
            : new SeeOther(state is null ? redirect : QueryHelpers.AddQueryString(redirect, StateParameter, state));

    private HtmlPage Error(HttpRequest http, string message) =>
        SignInPageMarkup.Error(http, _productName, "Sign-out request not accepted", message, Status400BadRequest);

    /// <summary>The query (GET) or form (POST) parameters, each at most once; null when one is repeated or the form unreadable.</summary>
    private static Dictionary<string, string>? ReadParameters(EndpointRequest request, bool isPost)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (isPost)
        {
            if (RequestBody.ParseForm(request.Body) is not { } pairs)
            {
                return null;
            }

            foreach (var (name, value) in pairs)
            {
                if (!parameters.TryAdd(name, value))
                {
                    return null;
                }
            }

            return parameters;
        }

        foreach (var (name, values) in request.Http.Query)
        {
            if (values.Count != 1)
            {
                return null;
            }

            parameters[name] = values[0] ?? string.Empty;
        }

        return parameters;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>The end-session parameters as a form (RP-Initiated Logout 1.0 §2), and the confirmation's anti-forgery token.</summary>
internal sealed record EndSessionForm(
    [property: System.Text.Json.Serialization.JsonPropertyName(SignOutEndpoints.IdTokenHintParameter)] string? IdTokenHint,
    [property: System.Text.Json.Serialization.JsonPropertyName(SignOutEndpoints.ClientIdParameter)] string? ClientId,
    [property: System.Text.Json.Serialization.JsonPropertyName(SignOutEndpoints.RedirectParameter)] string? PostLogoutRedirectUri,
    [property: System.Text.Json.Serialization.JsonPropertyName(SignOutEndpoints.StateParameter)] string? State,
    [property: System.Text.Json.Serialization.JsonPropertyName(PageCsrf.FieldName)] string? Csrf);
