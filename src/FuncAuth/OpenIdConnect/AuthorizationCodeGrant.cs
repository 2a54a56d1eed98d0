using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FuncAuth.Authorization;
using FuncAuth.Clients;
using FuncAuth.Http;
using FuncAuth.Security;
using FuncAuth.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace FuncAuth.OpenIdConnect;

/// <summary>
/// <c>grant_type=authorization_code</c> (RFC 6749 §4.1.3, OAuth 2.1 §4.1.3, OpenID Connect Core §3.1.3): the code is spent
/// first (the table decides; exactly one of any racing exchanges gets this far with it), then checked against what it is
/// bound to — the client, the identical redirect URI, the PKCE S256 challenge — and only then a client session starts:
/// an access token, a refresh token with <c>offline_access</c>, and an ID token with <c>openid</c>. A code presented
/// again ends the session its first use started. Every refusal of the code itself is <c>invalid_grant</c>, and a code that
/// failed a check is spent all the same: a stolen code is worth one try, never a search.
/// </summary>
internal sealed class AuthorizationCodeGrant(
    AuthorizationCodes codes, SessionService sessions, IdTokens idTokens, ILogger<AuthorizationCodeGrant> logger)
{
    public const string GrantType = "authorization_code";

    private const string BearerTokenType = "Bearer";

    public async Task<Results<Ok<AccessTokenResponse>, JsonHttpResult<OAuthError>, ProblemHttpResult>> ExchangeAsync(
        OAuthClient client, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        // What is missing or malformed is the request's fault: refused before the code is touched, so it is not spent.
        if (parameters.GetValueOrDefault("code") is not { } code)
        {
            return OAuthErrors.InvalidRequest("The code parameter is required.");
        }

        if (parameters.GetValueOrDefault("redirect_uri") is not { } redirectUri)
        {
            return OAuthErrors.InvalidRequest("The redirect_uri parameter is required: the one the authorization request sent.");
        }

        if (parameters.GetValueOrDefault("code_verifier") is not { } verifier)
        {
            return OAuthErrors.InvalidRequest("The code_verifier parameter is required (PKCE, RFC 7636).");
        }

        if (!IsVerifier(verifier))
        {
            return OAuthErrors.InvalidRequest("The code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636 §4.1).");
        }

        var sessionId = SessionService.NewClientSessionId();
        var redemption = await codes.RedeemAsync(code, sessionId, cancellationToken);
        switch (redemption)
        {
            case { Outcome: CodeOutcome.Reused, Grant: { } reused, IssuedSessionId: { } firstSession }:
                await sessions.EndForReusedCodeAsync(reused.UserId, firstSession);
                return OAuthErrors.InvalidGrant("The authorization code was already used; the tokens issued for it have been revoked.");
            case { Outcome: CodeOutcome.Expired }:
                return OAuthErrors.InvalidGrant("The authorization code has expired.");
            case { Outcome: CodeOutcome.Redeemed, Grant: not null }:
                break;
            default:
                return OAuthErrors.InvalidGrant("The authorization code is invalid.");
        }

        var grant = redemption.Grant!;
        if (Refusal(grant, client, redirectUri, verifier) is { } reason)
        {
            SecurityEvents.AuthorizationCodeRefused(logger, client.ClientId, reason);
            return OAuthErrors.InvalidGrant("The authorization code is invalid, or was issued to another client, redirect URI or code challenge.");
        }

        if (await sessions.StartForClientAsync(grant, sessionId, cancellationToken) is not { } started)
        {
            return OAuthErrors.InvalidGrant("The sign-in this code came from has ended; sign in again.");
        }

        SecurityEvents.ClientSessionStarted(logger, grant.UserId, grant.ClientId, sessionId);
        var scopes = grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var signIn = started.SignIn;
        return TypedResults.Ok(new AccessTokenResponse(
            signIn.AccessToken.Token,
            BearerTokenType,
            (long)signIn.AccessToken.Lifetime.TotalSeconds,
            scopes.Contains(IdTokens.OfflineAccessScope, StringComparer.Ordinal) ? signIn.RefreshToken : null,
            scopes.Contains(IdTokens.Scope, StringComparer.Ordinal) ? idTokens.Issue(grant, signIn.Session, started.Account) : null,
            grant.Scope));
    }

    /// <summary>Why the redeemed code does not fit this request (for the log only: the client gets one answer), or null.</summary>
    private static string? Refusal(AuthorizationGrant grant, OAuthClient client, string redirectUri, string verifier)
    {
        if (!string.Equals(grant.ClientId, client.ClientId, StringComparison.Ordinal))
        {
            return "the code was issued to another client";
        }

        // RFC 6749 §4.1.3: "identical" to the authorization request's, so an exact string comparison.
        if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return "the redirect_uri differs from the authorization request's";
        }

        return ChallengeMatches(grant.CodeChallenge, verifier) ? null : "the code_verifier does not match the code challenge";
    }

    /// <summary>RFC 7636 §4.6, S256: BASE64URL(SHA256(ASCII(code_verifier))) equals the challenge, compared in constant time.</summary>
    internal static bool ChallengeMatches(string challenge, string verifier)
    {
        var computed = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(challenge));
    }

    /// <summary>RFC 7636 §4.1: 43 to 128 characters of the unreserved set.</summary>
    internal static bool IsVerifier(string verifier) =>
        verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');
}
