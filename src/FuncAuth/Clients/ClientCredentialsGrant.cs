using FuncAuth.Http;
using FuncAuth.Security;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Clients;

/// <summary>
/// The token endpoint's <c>grant_type=client_credentials</c> (RFC 6749 §4.4): a confidential client registered for it,
/// authenticated with its secret, gets an access token for itself: <c>sub</c> = <c>client_id</c>, the API scopes granted,
/// no refresh token (§4.4.3: it can simply ask again), no ID token, no session. The token endpoint has already drawn
/// on the password budget for the secret check and authenticated the client (a wrong secret is answered there).
/// </summary>
internal sealed class ClientCredentialsGrant(TokenIssuer issuer, ILogger<ClientCredentialsGrant> logger)
{
    public const string GrantType = ClientVocabulary.ClientCredentialsGrant;

    private const string BearerTokenType = "Bearer";

    public Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult> Exchange(
        ClientAuthenticationResult caller, IReadOnlyDictionary<string, string> parameters, HttpRequest http)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(http);

        // Only a client that proved a secret: no client, an unregistered one, or a public one (which has no secret to
        // prove) is invalid_client, with the Basic challenge when the request tried Basic.
        if (caller is not { Outcome: ClientAuthenticationOutcome.Authenticated, Client: { } client })
        {
            var named = caller.Client?.ClientId ?? (caller.ClientId is null ? "(none)" : "(unregistered)");
            SecurityEvents.ClientCredentialsRefused(logger, named, caller.Client is null ? "no registered client authenticated" : "a public client");
            return OAuthErrors.InvalidClient(
                "The client_credentials grant needs a confidential client that authenticates (client_secret_basic or client_secret_post).",
                http.HttpContext.Response,
                ClientAuthentication.SentBasicCredentials(http));
        }

        if (!client.AllowsGrantType(GrantType))
        {
            SecurityEvents.ClientCredentialsRefused(logger, client.ClientId, "the client is not registered for the grant");
            return OAuthErrors.UnauthorizedClient("The client is not registered for the client_credentials grant.");
        }

        var (scope, scopeError) = GrantedScope(client, parameters.GetValueOrDefault("scope"));
        if (scope is null)
        {
            SecurityEvents.ClientCredentialsRefused(logger, client.ClientId, "a scope it may not have");
            return OAuthErrors.InvalidScope(scopeError!);
        }

        var token = issuer.IssueForClient(client.ClientId, scope);
        SecurityEvents.ClientTokenIssued(logger, client.ClientId, scope);
        return TypedResults.Ok(new AccessTokenResponse(
            token.Token, BearerTokenType, (long)token.Lifetime.TotalSeconds, RefreshToken: null, Scope: scope));
    }

    /// <summary>
    /// The scope to grant, space-separated: what was asked (each an API scope the client is allowed, in the order asked,
    /// once each), or, when nothing was asked, every API scope the client is allowed (RFC 6749 §3.3 lets the server pick a
    /// documented default). A user's scope (openid, profile, email, offline_access) is never granted: no user is here.
    /// </summary>
    internal static (string? Scope, string? Error) GrantedScope(OAuthClient client, string? requested)
    {
        var asked = (requested ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (asked.Count == 0)
        {
            return (string.Join(' ', client.ApiScopes), null);
        }

        if (asked.FirstOrDefault(ClientVocabulary.IsUserScope) is { } userScope)
        {
            return (null, $"The scope {userScope} is a user's; a client's own token carries API scopes only.");
        }

        // The request's text is not echoed back; the authenticated client is told what it may ask for instead.
        if (asked.Any(s => !client.ApiScopes.Contains(s, StringComparer.Ordinal)))
        {
            return (null, $"A scope named is not one this client may ask for; it may ask for: {string.Join(' ', client.ApiScopes)}.");
        }

        return (string.Join(' ', asked), null);
    }
}
