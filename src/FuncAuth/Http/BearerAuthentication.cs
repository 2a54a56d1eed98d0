using FuncAuth.Revocation;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary>
/// Who is calling: the bearer token of a request, validated and checked against revocation (its session not ended).
/// Every refusal is a 401 with an RFC 6750 challenge that says which kind, or 400 for a malformed header. The runner
/// applies it to every endpoint declared to require a bearer token.
/// </summary>
internal sealed class BearerAuthentication(AccessTokenValidator validator, Revocations revocations)
{
    /// <summary>
    /// The caller's token if it is valid and not revoked. Throws <see cref="Storage.StorageUnavailableException"/> when
    /// revocation cannot be checked: it fails closed. Completes at once on verify's hot path (state fresh, token cached).
    /// </summary>
    public ValueTask<(AccessToken? Token, ProblemHttpResult? Problem)> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (token, problem) = Validate(request);
        if (token is null)
        {
            return ValueTask.FromResult<(AccessToken?, ProblemHttpResult?)>((null, problem));
        }

        var revoked = revocations.IsRevokedAsync(token, cancellationToken);
        return revoked.IsCompletedSuccessfully
            ? ValueTask.FromResult(Decide(token, revoked.Result, request.HttpContext.Response))
            : AwaitAsync(token, revoked, request.HttpContext.Response);

        static async ValueTask<(AccessToken?, ProblemHttpResult?)> AwaitAsync(AccessToken token, ValueTask<bool> revoked, HttpResponse response) =>
            Decide(token, await revoked, response);
    }

    private static (AccessToken?, ProblemHttpResult?) Decide(AccessToken token, bool revoked, HttpResponse response) =>
        revoked ? (null, BearerToken.InvalidToken(response, "The access token has been revoked.")) : (token, null);

    /// <summary>The token's claims if it is one of ours and current; revocation is not checked here.</summary>
    private (AccessToken? Token, ProblemHttpResult? Problem) Validate(HttpRequest request)
    {
        if (!BearerToken.TryRead(request, out var raw, out var problem))
        {
            return (null, problem);
        }

        var validation = validator.Validate(raw.Span);
        return validation.Token is not null
            ? (validation.Token, null)
            : (null, BearerToken.InvalidToken(
                request.HttpContext.Response,
                validation.Rejection == TokenRejection.Expired ? "The access token expired." : "The access token is invalid."));
    }
}
