using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>token</c> and <c>revoke</c>, each handing the request to the core's <see cref="OAuthEndpoints"/>.</summary>
public sealed class OAuthFunctions(OAuthEndpoints endpoints)
{
    [Function("token")]
    public async Task<IResult> Token(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Token)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.TokenAsync(request, cancellationToken);

    [Function("revoke")]
    public async Task<IResult> Revoke(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Revoke)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.RevokeAsync(request, cancellationToken);
}
