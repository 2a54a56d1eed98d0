using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FuncAuth.Http.Pipeline;

/// <summary>
/// One FuncAuth endpoint, declared once: its name, route and verbs, what it needs from the pipeline (a throttle budget,
/// a bearer token, a body, caching) and its handler. <see cref="EndpointRunner"/> enforces the needs, in a fixed order,
/// for both hosts; <see cref="EndpointMapping"/> maps it on Kestrel and derives its OpenAPI description from the same
/// declaration, so what the document says a request needs is what the code checks.
/// </summary>
internal abstract record FuncAuthEndpoint
{
    private protected FuncAuthEndpoint(string name, string route, IReadOnlyList<string> methods, string tag)
    {
        Name = name;
        Route = route;
        Methods = methods;
        Tag = tag;
    }

    public string Name { get; }

    public string Route { get; }

    public IReadOnlyList<string> Methods { get; }

    /// <summary>The OpenAPI tag: the capability the endpoint belongs to.</summary>
    public string Tag { get; }

    public string Summary { get; init; } = string.Empty;

    public string Description { get; init; } = string.Empty;

    public Throttle Throttle { get; init; }

    /// <summary>
    /// The caller must send a valid bearer token whose session has not ended (RFC 6750); the handler gets it as
    /// <see cref="EndpointRequest.Caller"/>. Otherwise the endpoint is anonymous.
    /// </summary>
    public bool RequiresBearerToken { get; init; }

    /// <summary>
    /// With <see cref="RequiresBearerToken"/>: a service client's token (the client credentials grant: no user, <c>sub</c> =
    /// <c>client_id</c>) is accepted too. Every other bearer endpoint acts for a user and refuses one with 403.
    /// </summary>
    public bool AcceptsServiceClients { get; init; }

    /// <summary>
    /// The admin API: a bearer token of a user who holds <c>FuncAuth:Admin:Role</c> (in the token and still on the account),
    /// or of a service client granted the <c>funcauth.admin</c> scope; else 403 (see <see cref="Admin.AdminAuthorization"/>).
    /// Implies a bearer token.
    /// </summary>
    public bool RequiresAdmin { get; init; }

    /// <summary>
    /// The endpoint exists to send mail someone asked for (a reset, a resend, an address change): on a deployment where
    /// email is not configured it answers 404, before anything else is checked or spent.
    /// </summary>
    public bool SendsMail { get; init; }

    /// <summary>
    /// The endpoint is part of passkeys (WebAuthn): on a deployment with no relying party (neither
    /// <c>FuncAuth:Passkeys:RelyingPartyId</c> nor an https issuer to derive it from) it answers 404, before anything else is
    /// checked or spent.
    /// </summary>
    public bool UsesPasskeys { get; init; }

    public BodyKind Body { get; init; }

    /// <summary>The type whose JSON schema describes the body in the OpenAPI document.</summary>
    public Type? BodySchema { get; init; }

    /// <summary>
    /// A public document the handler marks cacheable itself (keys, metadata). Every other answer is about credentials
    /// or tokens and is sent with <c>Cache-Control: no-store</c>.
    /// </summary>
    public bool Cacheable { get; init; }

    /// <summary>Which web pages on other origins may read the endpoint's answers (CORS).</summary>
    public CrossOrigin CrossOrigin { get; init; }

    /// <summary>Whether the endpoint reads or writes storage, and so can answer 503 when storage fails.</summary>
    public bool UsesStorage { get; init; } = true;

    /// <summary>Problem statuses the handler itself can answer (400, 403, 404, 409…), beyond what its result type says.</summary>
    public IReadOnlyList<int> Problems { get; init; } = [];

    /// <summary>Anything else the handler's answers carry that the document should say (a header, a non-problem error body).</summary>
    public Action<RouteHandlerBuilder>? Describe { get; init; }

    /// <summary>The class whose instance (a singleton of the app) holds the handler.</summary>
    internal abstract Type HandlersType { get; }

    internal abstract ValueTask<IResult> InvokeAsync(object handlers, EndpointRequest request, CancellationToken cancellationToken);

    /// <summary>The statuses and bodies the handler's typed result declares (<c>Results&lt;…&gt;</c>), as ASP.NET Core reads them.</summary>
    internal abstract void AddResultMetadata(EndpointBuilder builder);

    /// <summary>A POST endpoint of <typeparamref name="THandlers"/>.</summary>
    public static FuncAuthEndpoint<THandlers, TResult> Post<THandlers, TResult>(
        string name, string route, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        where THandlers : class
        where TResult : IResult =>
        new(name, route, [HttpMethods.Post], tag, handler);

    public static FuncAuthEndpoint<THandlers, TResult> Get<THandlers, TResult>(
        string name, string route, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        where THandlers : class
        where TResult : IResult =>
        new(name, route, [HttpMethods.Get], tag, handler);

    public static FuncAuthEndpoint<THandlers, TResult> Delete<THandlers, TResult>(
        string name, string route, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        where THandlers : class
        where TResult : IResult =>
        new(name, route, [HttpMethods.Delete], tag, handler);

    public static FuncAuthEndpoint<THandlers, TResult> Patch<THandlers, TResult>(
        string name, string route, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        where THandlers : class
        where TResult : IResult =>
        new(name, route, [HttpMethods.Patch], tag, handler);

    public static FuncAuthEndpoint<THandlers, TResult> Map<THandlers, TResult>(
        string name, string route, IReadOnlyList<string> methods, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        where THandlers : class
        where TResult : IResult =>
        new(name, route, methods, tag, handler);
}

/// <summary>An endpoint whose handler is a method of <typeparamref name="THandlers"/> answering <typeparamref name="TResult"/>.</summary>
internal sealed record FuncAuthEndpoint<THandlers, TResult> : FuncAuthEndpoint
    where THandlers : class
    where TResult : IResult
{
    private readonly Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> _handler;

    internal FuncAuthEndpoint(
        string name, string route, IReadOnlyList<string> methods, string tag, Func<THandlers, EndpointRequest, CancellationToken, ValueTask<TResult>> handler)
        : base(name, route, methods, tag) =>
        _handler = handler;

    internal override Type HandlersType => typeof(THandlers);

    internal override ValueTask<IResult> InvokeAsync(object handlers, EndpointRequest request, CancellationToken cancellationToken)
    {
        // verify is the hot path and its handler completes at once: no state machine for it.
        var answer = _handler((THandlers)handlers, request, cancellationToken);
        return answer.IsCompletedSuccessfully ? ValueTask.FromResult<IResult>(answer.Result) : AwaitAsync(answer);

        static async ValueTask<IResult> AwaitAsync(ValueTask<TResult> pending) => await pending;
    }

    internal override void AddResultMetadata(EndpointBuilder builder)
    {
        if (typeof(IEndpointMetadataProvider).IsAssignableFrom(typeof(TResult)))
        {
            // The static interface member can only be called through a type argument that is known to implement it.
            PopulateMethod.MakeGenericMethod(typeof(TResult)).Invoke(null, [_handler.Method, builder]);
        }
    }

    private static readonly MethodInfo PopulateMethod =
        typeof(FuncAuthEndpoint<THandlers, TResult>).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void Populate<T>(MethodInfo method, EndpointBuilder builder)
        where T : IEndpointMetadataProvider =>
        T.PopulateMetadata(method, builder);
}
