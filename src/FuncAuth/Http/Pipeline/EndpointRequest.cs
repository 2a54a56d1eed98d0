using FuncAuth.Accounts;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http.Pipeline;

/// <summary>
/// What a handler gets once <see cref="EndpointRunner"/> has applied the endpoint's needs: the HTTP request, the caller's
/// validated token (for endpoints that require one) and the body, already checked for media type and size.
/// </summary>
internal sealed class EndpointRequest
{
    private readonly ClientThrottle _throttle;
    private readonly AccessToken? _caller;

    internal EndpointRequest(HttpRequest http, ClientThrottle throttle, AccessToken? caller, byte[] body, bool isForm)
    {
        Http = http;
        _throttle = throttle;
        _caller = caller;
        Body = body;
        IsForm = isForm;
    }

    public HttpRequest Http { get; }

    public HttpResponse Response => Http.HttpContext.Response;

    /// <summary>The caller's token: valid, and not revoked. Only for endpoints declared to require a bearer token.</summary>
    public AccessToken Caller => _caller ?? throw new InvalidOperationException("This endpoint does not require a bearer token.");

    /// <summary>
    /// The account name the caller's token was issued for: the account's key (its <c>sub</c> is checked against the account
    /// found by it). Null for a token whose name is not a valid one, which no FuncAuth token is.
    /// </summary>
    public Username? CallerName => Username.TryCreate(Caller.Username, out var username, out _) ? username : null;

    /// <summary>The body as sent (empty when the endpoint reads none), at most <see cref="RequestBody.MaxBytes"/> bytes.</summary>
    public byte[] Body { get; }

    /// <summary>Whether <see cref="Body"/> is <c>application/x-www-form-urlencoded</c> (else JSON).</summary>
    public bool IsForm { get; }

    /// <summary>A value of the route (<c>{id}</c>), as either host matched it.</summary>
    public string? RouteValue(string name) => Http.RouteValues.TryGetValue(name, out var value) ? value as string : null;

    /// <summary>
    /// Draws on one more budget than the endpoint's own, for a step only some of its requests take (the token endpoint's
    /// password grant checks a password; its refresh grant does not). Null when the request may go on, else the 429.
    /// </summary>
    public ProblemHttpResult? Draw(Throttle budget) => _throttle.Check(Http, budget);
}
