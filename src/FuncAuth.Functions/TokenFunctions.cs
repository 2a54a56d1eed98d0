using FuncAuth.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncAuth.Functions;

/// <summary><c>verify</c> and <c>logout</c>, each handing the request to the core's <see cref="TokenEndpoints"/>.</summary>
public sealed class TokenFunctions(TokenEndpoints endpoints)
{
    [Function("verify")]
    public async Task<IResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = FuncAuthRoutes.Verify)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.VerifyAsync(request, cancellationToken);

    [Function("logout")]
    public async Task<IResult> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FuncAuthRoutes.Logout)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await endpoints.LogoutAsync(request, cancellationToken);
}
