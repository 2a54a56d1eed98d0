using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Clients;
using FuncAuth.Http.Pipeline;
using FuncAuth.Mfa;
using FuncAuth.OpenIdConnect;
using FuncAuth.Revocation;
using FuncAuth.Security;
using FuncAuth.Sessions;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// The OAuth 2.0 endpoints: <c>token</c> (RFC 6749: the authorization_code grant for registered clients, the password
/// and refresh_token grants, the client_credentials grant for registered service clients) and <c>revoke</c> (RFC 7009).
/// Registered clients authenticate as <see cref="TokenClients"/> says; for the password grant and the refresh of a
/// direct session a <c>client_id</c> that names no registered client, <c>scope</c>, and client credentials of no
/// registered client are accepted and ignored, so any standard OAuth 2.0 client library logs in and refreshes unchanged. Errors are RFC 6749 §5.2 objects.
/// </summary>
internal sealed class OAuthEndpoints(
    PasswordSignIn signIns,
    SessionService sessions,
    AccessTokenValidator validator,
    Revocations revocations,
    ClientAuthentication clients,
    AuthorizationCodeGrant codeGrant,
    MfaGrant mfaGrant,
    ClientCredentialsGrant clientCredentials,
    IOptions<OAuthOptions> oauthOptions,
    ClientRegistry registry,
    ILogger<OAuthEndpoints> logger)
{
    public const string PasswordGrant = "password";
    public const string RefreshTokenGrant = "refresh_token";

    private const string Tag = "OAuth";
    private const string BearerTokenType = "Bearer";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Token, FuncAuthRoutes.Token, Tag, (OAuthEndpoints api, EndpointRequest request, CancellationToken ct) => api.TokenAsync(request, ct)) with
        {
            CrossOrigin = CrossOrigin.RegisteredClients,
            Summary = "OAuth 2.0 token endpoint: exchange a code, log in, refresh, or get a service client's token",
            Description = "RFC 6749. grant_type=authorization_code (code, redirect_uri, code_verifier; client_id, or the client's " +
                "credentials for a confidential client: client_secret_basic or client_secret_post) exchanges a code from the " +
                "authorization endpoint for an access token (scope, client_id), an ID token with the openid scope and a refresh " +
                "token with offline_access; the code is single use, bound to the client, the identical redirect_uri and the PKCE " +
                "S256 challenge, and a second use revokes what the first issued. A registered client that fails to authenticate " +
                "is invalid_client (401 with a Basic challenge when it tried the Authorization header, else 400); a grant type the " +
                "client is not registered for is unauthorized_client. " +
                "grant_type=password (username, password) starts a session, as login does; " +
                "grant_type=refresh_token (refresh_token) spends the refresh token for a new access token and a new refresh token " +
                "of the same session (a client's session only for that client, authenticated if confidential). A spent refresh " +
                "token presented again ends the session, except within the reuse interval right after its rotation, where it " +
                "answers with the same successor (racing clients converge). The password grant can be turned off " +
                "(FuncAuth:OAuth:PasswordGrantEnabled) and is refused to registered clients not registered for it. For the " +
                "password and refresh grants a client_id of no registered client, and scope, are accepted and ignored. Errors are RFC 6749 §5.2 objects: invalid_request, invalid_grant (a wrong " +
                "username or password, or a refresh token that is unknown, expired, spent or of an ended session; while " +
                "FuncAuth:Accounts:RequireConfirmedEmail is on, the right password for an account whose email address is missing or " +
                "not confirmed is invalid_grant with error_description \"" + AccountEndpoints.EmailNotConfirmedDetail + "\"; the " +
                "right password for a disabled account, or its mfa grant, is invalid_grant with error_description \"" +
                SignInResult.AccountDisabledDetail + "\"), " +
                "unsupported_grant_type, unauthorized_client. A body over 8 KiB is 413, another media type 415 (problem+json). The password grant " +
                "draws on the client's password budget, every request on its generous token budget (429 beyond either). " +
                "For an account with TOTP on, the right password answers 403 with error mfa_required and an mfa_token (single " +
                "use, 5 minutes); grant_type=" + MfaGrant.GrantType + " (mfa_token, and otp, the authenticator app's code, or " +
                "recovery_code) completes the sign-in with the same answer as the password grant (amr pwd, otp, mfa; or pwd, mfa " +
                "with a recovery code). It is offered exactly when the password grant is, to registered clients registered for the " +
                "password grant, and draws on the password budget; a wrong, replayed or out-of-window code is invalid_grant and " +
                "counts toward the account's lockout as a wrong password does; an mfa_token that is unknown, spent, expired or " +
                "whose account changed since is invalid_grant saying to sign in again. " +
                "grant_type=client_credentials (RFC 6749 §4.4; offered when a registered client is registered for it) gives a " +
                "confidential client an access token for itself: it authenticates with client_secret_basic or client_secret_post; " +
                "scope (optional) is space-separated API scopes the client is allowed (omitted: all of them), and the user scopes " +
                "openid, profile, email and offline_access are invalid_scope; the answer has access_token, token_type, expires_in " +
                "and scope, never a refresh_token or id_token; the token's sub and client_id are the client's id, with no username. " +
                "An unknown or public client, or a wrong secret, is invalid_client (401 with a Basic challenge when the Authorization " +
                "header was used, else 400); a client not registered for the grant is unauthorized_client. Every client_credentials " +
                "request draws on the password budget (a secret check), so a service should keep its token until it expires.",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.OAuthParameters,
            BodySchema = typeof(TokenRequestBody),
            Describe = builder => builder
                .Produces<OAuthError>(Status400BadRequest)
                .Produces<OAuthError>(Status401Unauthorized)
                .Produces<OAuthError>(Status403Forbidden)
                .WithResponseHeader(
                    Status401Unauthorized,
                    Microsoft.Net.Http.Headers.HeaderNames.WWWAuthenticate,
                    "`Basic realm=\"funcauth\", charset=\"UTF-8\"` with error invalid_client: a registered client failed to authenticate (RFC 6749 §5.2)."),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Revoke, FuncAuthRoutes.Revoke, Tag, (OAuthEndpoints api, EndpointRequest request, CancellationToken ct) => api.RevokeAsync(request, ct)) with
        {
            CrossOrigin = CrossOrigin.RegisteredClients,
            Summary = "OAuth 2.0 token revocation",
            Description = "RFC 7009: a refresh token ends its session (its refresh tokens stop working, its access tokens fail " +
                "verify); an access token is revoked until it expires. Answers 200 whether or not the token was valid; 400 " +
                "invalid_request when the token parameter is missing or the parameters are malformed; 413 and 415 as for the token endpoint.",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.OAuthParameters,
            BodySchema = typeof(RevocationRequestBody),
            Describe = builder => builder.Produces<OAuthError>(Status400BadRequest),
        },
    ];

    /// <summary><c>POST api/auth/token</c>: a code, password, mfa, refresh_token or client_credentials grant → 200 <see cref="AccessTokenResponse"/> (RFC 6749 §5.1).</summary>
    private async ValueTask<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> TokenAsync(
        EndpointRequest request, CancellationToken cancellationToken)
    {
        var (parameters, error) = OAuthParameters.Parse(request.Body, request.IsForm);
        if (parameters is null)
        {
            return error!;
        }

        var grantType = parameters.GetValueOrDefault("grant_type");
        if (grantType is null)
        {
            return OAuthErrors.InvalidRequest("The grant_type parameter is required.");
        }

        if (!Supports(grantType))
        {
            return OAuthErrors.UnsupportedGrantType($"The grant_type must be one of: {string.Join(", ", SupportedGrantTypes(oauthOptions.Value, registry))}.");
        }

        // A client's secret is its password: each client_credentials request draws on the password budget before the
        // secret is checked, so secrets cannot be guessed faster than passwords through this grant. (The code and refresh
        // grants, which a busy web app uses for every sign-in, draw only on the generous token budget; see the README.)
        if (grantType == ClientCredentialsGrant.GrantType && request.Draw(Throttle.PasswordChecks) is { } secretThrottled)
        {
            return secretThrottled;
        }

        // A registered client authenticates (or, public, names itself); the code grant needs one, the others take one.
        var caller = clients.Authenticate(request.Http, parameters);
        if (caller.Error is { } clientError)
        {
            return clientError;
        }

        // A service client acting for itself: no user, no session (Clients/ClientCredentialsGrant.cs).
        if (grantType == ClientCredentialsGrant.GrantType)
        {
            return clientCredentials.Exchange(caller, parameters, request.Http);
        }

        var client = caller.Client;
        if (client is null && grantType == AuthorizationCodeGrant.GrantType)
        {
            return OAuthErrors.InvalidClient(
                "The authorization_code grant needs a registered client: send its client_id, and authenticate if it is confidential.",
                request.Response,
                usedBasic: false);
        }

        // The mfa grant is the password grant's second step: a client registered for that one may take it.
        if (client is not null && !client.AllowsGrantType(grantType == MfaGrant.GrantType ? PasswordGrant : grantType))
        {
            return OAuthErrors.UnauthorizedClient($"The client is not registered for the {grantType} grant.");
        }

        switch (grantType)
        {
            case AuthorizationCodeGrant.GrantType:
                return await codeGrant.ExchangeAsync(client!, parameters, cancellationToken);
            case PasswordGrant:
                // A password check, like login: it draws on the password budget too. A refresh does not (see Throttle).
                return request.Draw(Throttle.PasswordChecks) is { } throttled ? throttled : await PasswordGrantAsync(parameters, cancellationToken);
            case MfaGrant.GrantType:
                // A code check, counted by the lockout like a password: the password budget too.
                return request.Draw(Throttle.PasswordChecks) is { } mfaThrottled ? mfaThrottled : await mfaGrant.ExchangeAsync(parameters, cancellationToken);
            default:
                return await RefreshTokenGrantAsync(parameters, caller.ClientId, cancellationToken);
        }
    }

    /// <summary>
    /// The grant types served: authorization_code once a client is registered (it has no use without one), password unless
    /// turned off (RFC 9700 §2.4 advises against it), refresh_token always, the mfa grant with the password grant, and
    /// client_credentials once a registered client may use it.
    /// </summary>
    internal static IEnumerable<string> SupportedGrantTypes(OAuthOptions oauth, ClientRegistry registered)
    {
        if (registered.Any)
        {
            yield return AuthorizationCodeGrant.GrantType;
        }

        if (oauth.PasswordGrantEnabled)
        {
            yield return PasswordGrant;
        }

        yield return RefreshTokenGrant;

        if (registered.AnyServiceClient)
        {
            yield return ClientCredentialsGrant.GrantType;
        }

        // The password grant's second step, for accounts with TOTP on: offered with it, listed after the RFC 6749 ones.
        if (oauth.PasswordGrantEnabled)
        {
            yield return MfaGrant.GrantType;
        }
    }

    private bool Supports(string grantType) => SupportedGrantTypes(oauthOptions.Value, registry).Contains(grantType, StringComparer.Ordinal);

    /// <summary>
    /// <c>POST api/auth/revoke</c> (RFC 7009): a refresh token ends its session; an access token is revoked until it
    /// expires. 200 for every well-formed request, whether or not the token was valid: the answer tells nothing.
    /// </summary>
    private async ValueTask<Results<Ok, JsonHttpResult<OAuthError>>> RevokeAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (parameters, error) = OAuthParameters.Parse(request.Body, request.IsForm);
        if (parameters is null)
        {
            return error!;
        }

        if (parameters.GetValueOrDefault("token") is not { } token)
        {
            return OAuthErrors.InvalidRequest("The token parameter is required.");
        }

        // token_type_hint is only a hint (RFC 7009 §2.1): the two kinds cannot be mistaken for each other (a refresh
        // token is 43 base64url characters, an access token a JWT), so each is recognised by its form.
        if (RefreshToken.Decode(token) is not null)
        {
            await sessions.RevokeRefreshTokenAsync(token, cancellationToken);
        }
        else if (token.Length <= AccessTokenValidator.MaxTokenLength && validator.Validate(token).Token is { } accessToken)
        {
            await revocations.RevokeAsync(accessToken, cancellationToken);
            SecurityEvents.TokenRevoked(logger, accessToken.Subject);
        }

        return TypedResults.Ok();
    }

    private async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> PasswordGrantAsync(
        Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (!Username.TryCreate(parameters.GetValueOrDefault("username"), out var username, out var usernameError))
        {
            return OAuthErrors.InvalidRequest(usernameError!);
        }

        var (password, passwordError) = Credentials.CheckPassword(parameters.GetValueOrDefault("password"));
        if (password is null)
        {
            return OAuthErrors.InvalidRequest(passwordError!);
        }

        // One answer for an unknown user, a wrong password and a locked name: don't reveal who has an account.
        var result = await signIns.SignInAsync(username!, password, cancellationToken);
        return result switch
        {
            { SignIn: { } signIn } => Success(signIn),
            { Outcome: SignInOutcome.MfaRequired, MfaToken: { } mfaToken } => OAuthErrors.MfaRequired(
                "The account has a second factor: complete the sign-in with grant_type=" + MfaGrant.GrantType + ", this mfa_token and otp (or recovery_code).", mfaToken),

            // RFC 6749 §5.2 has no error for this; invalid_grant ("the resource owner credentials … are invalid") with
            // its own description, given only after the right password.
            { Outcome: SignInOutcome.EmailNotConfirmed } => OAuthErrors.InvalidGrant(AccountEndpoints.EmailNotConfirmedDetail),
            { Outcome: SignInOutcome.AccountDisabled } => OAuthErrors.InvalidGrant(SignInResult.AccountDisabledDetail),
            _ => OAuthErrors.InvalidGrant(Problems.LoginFailureDetail),
        };
    }

    /// <summary>
    /// <paramref name="clientId"/>: the authenticated client, or the <c>client_id</c> sent (a public client's, or one no
    /// registration knows); a client session refreshes only for its own client (SessionService.Clients.cs).
    /// </summary>
    private async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> RefreshTokenGrantAsync(
        Dictionary<string, string> parameters, string? clientId, CancellationToken cancellationToken)
    {
        if (parameters.GetValueOrDefault("refresh_token") is not { } refreshToken)
        {
            return OAuthErrors.InvalidRequest("The refresh_token parameter is required.");
        }

        var (outcome, signIn) = await sessions.RefreshAsync(refreshToken, cancellationToken, clientId);
        return outcome switch
        {
            RefreshOutcome.Refreshed => Success(signIn!),
            RefreshOutcome.Expired => OAuthErrors.InvalidGrant("The refresh token or its session has expired; log in again."),
            RefreshOutcome.Reused => OAuthErrors.InvalidGrant("The refresh token was already used; its session has been ended. Log in again."),
            _ => OAuthErrors.InvalidGrant("The refresh token is invalid."),
        };
    }

    internal static Ok<AccessTokenResponse> Success(SignIn signIn) => TypedResults.Ok(new AccessTokenResponse(
        signIn.AccessToken.Token, BearerTokenType, (long)signIn.AccessToken.Lifetime.TotalSeconds, signIn.RefreshToken, Scope: signIn.Session.Scope));

    /// <summary>The token endpoint's parameters (RFC 6749 §4.3.2, §6), as form fields or a JSON object of strings.</summary>
    internal sealed class TokenRequestBody
    {
        [JsonPropertyName("grant_type")]
        [Required]
        [Description("`authorization_code`, `password`, `refresh_token`, `urn:funcauth:grant-type:mfa` or `client_credentials`.")]
        public string? GrantType { get; init; }

        [JsonPropertyName("code")]
        [Description("For the authorization_code grant: the code from the authorization endpoint's redirect.")]
        public string? Code { get; init; }

        [JsonPropertyName("redirect_uri")]
        [Description("For the authorization_code grant: the redirect_uri of the authorization request, identical.")]
        public string? RedirectUri { get; init; }

        [JsonPropertyName("code_verifier")]
        [Description("For the authorization_code grant: the PKCE code verifier (RFC 7636), 43 to 128 unreserved characters.")]
        public string? CodeVerifier { get; init; }

        [JsonPropertyName("username")]
        [Description("For the password grant.")]
        public string? Username { get; init; }

        [JsonPropertyName("password")]
        [Description("For the password grant.")]
        public string? Password { get; init; }

        [JsonPropertyName("refresh_token")]
        [Description("For the refresh_token grant.")]
        public string? RefreshToken { get; init; }

        [JsonPropertyName("mfa_token")]
        [Description("For the mfa grant: the mfa_token of the password grant's mfa_required answer.")]
        public string? MfaToken { get; init; }

        [JsonPropertyName("otp")]
        [Description("For the mfa grant: the authenticator app's current 6-digit code (or send recovery_code).")]
        public string? Otp { get; init; }

        [JsonPropertyName("recovery_code")]
        [Description("For the mfa grant: one of the recovery codes (or send otp).")]
        public string? RecoveryCode { get; init; }

        [JsonPropertyName("client_id")]
        [Description("The registered client (client_secret_post, or a public client); for the password and refresh grants, one no registration knows is ignored.")]
        public string? ClientId { get; init; }

        [JsonPropertyName("client_secret")]
        [Description("A confidential client's secret (client_secret_post); or send it with client_secret_basic instead.")]
        public string? ClientSecret { get; init; }

        [JsonPropertyName("scope")]
        [Description("For the client_credentials grant: space-separated API scopes the client is allowed (omitted: all of them). Accepted and ignored by the other grants.")]
        public string? Scope { get; init; }
    }

    /// <summary>The revocation endpoint's parameters (RFC 7009 §2.1).</summary>
    internal sealed class RevocationRequestBody
    {
        [JsonPropertyName("token")]
        [Required]
        [Description("A refresh token or an access token.")]
        public string? Token { get; init; }

        [JsonPropertyName("token_type_hint")]
        [Description("`refresh_token` or `access_token`; optional, and only a hint.")]
        public string? TokenTypeHint { get; init; }
    }
}
