using FuncAuth.Revocation;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary>
/// Who is calling: the bearer token of a request, validated (<see cref="Validate"/>) and, for endpoints that act on
/// the caller's account, checked against revocation too (<see cref="AuthenticateAsync"/>). Every refusal is a 401
/// with an RFC 6750 challenge that says which kind, or 400 for a malformed header.
/// </summary>
internal sealed class BearerAuthentication(AccessTokenValidator validator, Revocations revocations)
{
    /// <summary>The token's claims if it is one of ours and current; revocation is not checked.</summary>
    public (AccessToken? Token, ProblemHttpResult? Problem) Validate(HttpRequest request)
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

    /// <summary>
    /// The caller's token if it is valid and not revoked (its session not ended). Throws
    /// <see cref="Storage.StorageUnavailableException"/> when revocation cannot be checked: it fails closed.
    /// </summary>
    public async Task<(AccessToken? Token, ProblemHttpResult? Problem)> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (token, problem) = Validate(request);
        if (token is not null && await revocations.IsRevokedAsync(token, cancellationToken))
        {
            return (null, Revoked(request.HttpContext.Response));
        }

        return (token, problem);
    }

    public static ProblemHttpResult Revoked(HttpResponse response) => BearerToken.InvalidToken(response, "The access token has been revoked.");
}
