using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http.Pipeline;
using FuncAuth.Revocation;
using FuncAuth.Security;
using FuncAuth.Sessions;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Http;

/// <summary>
/// The OAuth 2.0 endpoints, for public clients (no client secret; <c>client_id</c> and <c>scope</c> are accepted and
/// ignored, as are client credentials in an Authorization header): <c>token</c> (RFC 6749: the password and
/// refresh_token grants) and <c>revoke</c> (RFC 7009). So any standard OAuth 2.0 client library logs in and refreshes
/// unchanged. Errors are RFC 6749 §5.2 objects.
/// </summary>
internal sealed class OAuthEndpoints(
    PasswordSignIn signIns,
    SessionService sessions,
    AccessTokenValidator validator,
    Revocations revocations,
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
            Summary = "OAuth 2.0 token endpoint: log in or refresh",
            Description = "RFC 6749 for public clients. grant_type=password (username, password) starts a session, as login does; " +
                "grant_type=refresh_token (refresh_token) spends the refresh token for a new access token and a new refresh token " +
                "of the same session. A spent refresh token presented again ends the session, except within the reuse interval " +
                "right after its rotation, where it answers with the same successor (racing clients converge). client_id and " +
                "scope are accepted and ignored. Errors are RFC 6749 §5.2 objects: invalid_request, invalid_grant (a wrong " +
                "username or password, or a refresh token that is unknown, expired, spent or of an ended session; while " +
                "FuncAuth:Accounts:RequireConfirmedEmail is on, the right password for an account whose email address is missing or " +
                "not confirmed is invalid_grant with error_description \"" + AccountEndpoints.EmailNotConfirmedDetail + "\"), " +
                "unsupported_grant_type. A body over 8 KiB is 413, another media type 415 (problem+json). The password grant " +
                "draws on the client's password budget, every request on its generous token budget (429 beyond either).",
            Throttle = Throttle.TokenRequests,
            Body = BodyKind.OAuthParameters,
            BodySchema = typeof(TokenRequestBody),
            Describe = builder => builder.Produces<OAuthError>(Status400BadRequest),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.Revoke, FuncAuthRoutes.Revoke, Tag, (OAuthEndpoints api, EndpointRequest request, CancellationToken ct) => api.RevokeAsync(request, ct)) with
        {
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

    /// <summary><c>POST api/auth/token</c>: a password or refresh_token grant → 200 <see cref="AccessTokenResponse"/> (RFC 6749 §5.1).</summary>
    private async ValueTask<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> TokenAsync(
        EndpointRequest request, CancellationToken cancellationToken)
    {
        var (parameters, error) = OAuthParameters.Parse(request.Body, request.IsForm);
        if (parameters is null)
        {
            return error!;
        }

        switch (parameters.GetValueOrDefault("grant_type"))
        {
            case null:
                return OAuthErrors.InvalidRequest("The grant_type parameter is required.");
            case PasswordGrant:
                // A password check, like login: it draws on the password budget too. A refresh does not (see Throttle).
                return request.Draw(Throttle.PasswordChecks) is { } throttled ? throttled : await PasswordGrantAsync(parameters, cancellationToken);
            case RefreshTokenGrant:
                return await RefreshTokenGrantAsync(parameters, cancellationToken);
            default:
                return OAuthErrors.UnsupportedGrantType($"The grant_type must be \"{PasswordGrant}\" or \"{RefreshTokenGrant}\".");
        }
    }

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

            // RFC 6749 §5.2 has no error for this; invalid_grant ("the resource owner credentials … are invalid") with
            // its own description, given only after the right password.
            { Outcome: SignInOutcome.EmailNotConfirmed } => OAuthErrors.InvalidGrant(AccountEndpoints.EmailNotConfirmedDetail),
            _ => OAuthErrors.InvalidGrant(Problems.LoginFailureDetail),
        };
    }

    private async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> RefreshTokenGrantAsync(
        Dictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        if (parameters.GetValueOrDefault("refresh_token") is not { } refreshToken)
        {
            return OAuthErrors.InvalidRequest("The refresh_token parameter is required.");
        }

        var (outcome, signIn) = await sessions.RefreshAsync(refreshToken, cancellationToken);
        return outcome switch
        {
            RefreshOutcome.Refreshed => Success(signIn!),
            RefreshOutcome.Expired => OAuthErrors.InvalidGrant("The refresh token or its session has expired; log in again."),
            RefreshOutcome.Reused => OAuthErrors.InvalidGrant("The refresh token was already used; its session has been ended. Log in again."),
            _ => OAuthErrors.InvalidGrant("The refresh token is invalid."),
        };
    }

    internal static Ok<AccessTokenResponse> Success(SignIn signIn) => TypedResults.Ok(new AccessTokenResponse(
        signIn.AccessToken.Token, BearerTokenType, (long)signIn.AccessToken.Lifetime.TotalSeconds, signIn.RefreshToken));

    /// <summary>The token endpoint's parameters (RFC 6749 §4.3.2, §6), as form fields or a JSON object of strings.</summary>
    internal sealed class TokenRequestBody
    {
        [JsonPropertyName("grant_type")]
        [Required]
        [Description("`password` or `refresh_token`.")]
        public string? GrantType { get; init; }

        [JsonPropertyName("username")]
        [Description("For the password grant.")]
        public string? Username { get; init; }

        [JsonPropertyName("password")]
        [Description("For the password grant.")]
        public string? Password { get; init; }

        [JsonPropertyName("refresh_token")]
        [Description("For the refresh_token grant.")]
        public string? RefreshToken { get; init; }

        [JsonPropertyName("client_id")]
        [Description("Accepted and ignored: there are no registered clients.")]
        public string? ClientId { get; init; }

        [JsonPropertyName("scope")]
        [Description("Accepted and ignored.")]
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
