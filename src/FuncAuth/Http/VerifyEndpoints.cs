using FuncAuth.Http.Pipeline;

namespace FuncAuth.Http;

/// <summary>
/// <c>verify</c>: a bearer token in, its claims out. The runner has already validated the token and checked its
/// revocation (failing closed with 503 when the revocation list is stale and storage cannot be read), so the handler
/// only writes the answer: the hot path does nothing twice.
/// </summary>
internal sealed class VerifyEndpoints
{
    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Map(FuncAuthEndpointNames.Verify, FuncAuthRoutes.Verify, ["GET", "POST"], "Tokens", (VerifyEndpoints api, EndpointRequest request, CancellationToken _) => Verify(request)) with
        {
            Summary = "Check an access token",
            Description = "Checks the bearer token's signature, claims and revocation and answers with its claims, in the style of " +
                "RFC 7662 introspection: a user's token has username (and sid, amr as issued); a service client's token " +
                "(the client_credentials grant) has no username, and its sub is its client_id; client_id and scope are answered " +
                "when the token has them. A missing, expired, revoked or invalid token is refused with 401 and an RFC 6750 challenge, " +
                "a malformed Authorization header with 400; 503 when the revocation list cannot be read (it fails closed). The " +
                "answer carries amr (how the user signed in) and roles (the user's roles when the token was issued: at sign-in " +
                "or its last refresh) when the token has them; both are left out when empty.",
            RequiresBearerToken = true,
            AcceptsServiceClients = true,
        },
    ];

    /// <summary><c>GET|POST api/auth/verify</c>: bearer token → 200 <see cref="TokenIntrospection"/>.</summary>
    private static ValueTask<IntrospectionResult> Verify(EndpointRequest request) => ValueTask.FromResult(IntrospectionResult.For(request.Caller));
}
