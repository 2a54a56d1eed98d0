using System.Collections.Frozen;
using FuncAuth.Admin;
using FuncAuth.Clients;
using FuncAuth.Email.Delivery;
using FuncAuth.Http.Pipeline;
using FuncAuth.Passkeys;
using FuncAuth.Storage;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>
/// Runs every FuncAuth request, on both hosts, through the same steps in the same order, as its endpoint's declaration
/// (<see cref="FuncAuthEndpoint"/>) says: caching headers, the client's throttle budget, the bearer token, the body's
/// media type and size, then the handler; a storage fault anywhere in them is a 503 with Retry-After. The Kestrel host
/// reaches it through <see cref="Microsoft.AspNetCore.Builder.FuncAuthEndpointRouteBuilderExtensions.MapFuncAuth"/>, the
/// Functions app through one thin <c>[Function]</c> per endpoint calling <see cref="RunAsync"/>. Nothing here depends on
/// ASP.NET Core's endpoint filters or authentication middleware, which the Functions worker does not run.
/// </summary>
public sealed class EndpointRunner
{
    private readonly IServiceProvider _services;
    private readonly ClientThrottle _throttle;
    private readonly Lazy<BearerAuthentication> _bearer;
    private readonly Lazy<EmailDelivery> _mail;
    private readonly Lazy<PasskeyRelyingParty> _passkeys;
    private readonly Lazy<ClientRegistry> _clients;
    private readonly Lazy<AdminAuthorization> _admin;
    private readonly ILogger<EndpointRunner> _logger;
    private readonly FrozenDictionary<string, FuncAuthEndpoint> _declared;
    private readonly Dictionary<string, RunnableEndpoint> _runnable = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    internal EndpointRunner(IServiceProvider services, ClientThrottle throttle, ILogger<EndpointRunner> logger)
    {
        _services = services;
        _throttle = throttle;

        // Made at the first request that needs it: the public documents need no token validator (nor its keys' checks).
        _bearer = new Lazy<BearerAuthentication>(services.GetRequiredService<BearerAuthentication>);
        _mail = new Lazy<EmailDelivery>(services.GetRequiredService<EmailDelivery>);
        _passkeys = new Lazy<PasskeyRelyingParty>(services.GetRequiredService<PasskeyRelyingParty>);
        _clients = new Lazy<ClientRegistry>(services.GetRequiredService<ClientRegistry>);
        _admin = new Lazy<AdminAuthorization>(services.GetRequiredService<AdminAuthorization>);
        _logger = logger;
        _declared = FuncAuthEndpoints.All.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>
    /// Runs the request through the endpoint named <paramref name="endpointName"/> (one of <see cref="FuncAuthEndpointNames"/>).
    /// <paramref name="routeValues"/> are the route's values as the host bound them (the Functions trigger binds <c>{id}</c>
    /// by name), for hosts whose request does not carry them.
    /// </summary>
    public Task<IResult> RunAsync(string endpointName, HttpRequest request, CancellationToken cancellationToken, params (string Name, string? Value)[] routeValues)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (name, value) in routeValues)
        {
            request.RouteValues.TryAdd(name, value);
        }

        return Find(endpointName).RunAsync(request, cancellationToken).AsTask();
    }

    /// <summary>The endpoint, with the app's instance of the class that holds its handler (made once, on first use).</summary>
    internal RunnableEndpoint Find(string endpointName)
    {
        lock (_gate)
        {
            if (!_runnable.TryGetValue(endpointName, out var runnable))
            {
                var declared = _declared.GetValueOrDefault(endpointName)
                    ?? throw new ArgumentException($"FuncAuth has no endpoint named '{endpointName}'.", nameof(endpointName));
                runnable = new RunnableEndpoint(this, declared, _services.GetRequiredService(declared.HandlersType));
                _runnable.Add(endpointName, runnable);
            }

            return runnable;
        }
    }

    internal async ValueTask<IResult> RunAsync(RunnableEndpoint endpoint, HttpRequest request, CancellationToken cancellationToken)
    {
        var declared = endpoint.Declaration;
        if (!declared.Cacheable)
        {
            ResponseHeaders.NoStore(request.HttpContext.Response);
        }

        AllowCrossOrigin(declared.CrossOrigin, request);

        if (declared.SendsMail && !_mail.Value.IsConfigured)
        {
            return Problems.NotFound("Email is not configured on this deployment (FuncAuth:Email:Smtp).");
        }

        if (declared.UsesPasskeys && !_passkeys.Value.IsConfigured)
        {
            return Problems.NotFound(PasskeyRelyingParty.NotConfigured);
        }

        // Before anything costs storage or a hash: a client over its budget is told at once.
        if (_throttle.Check(request, declared.Throttle) is { } throttled)
        {
            return throttled;
        }

        try
        {
            AccessToken? caller = null;
            if (declared.RequiresBearerToken || declared.RequiresAdmin)
            {
                (caller, var refused) = await _bearer.Value.AuthenticateAsync(request, cancellationToken);
                if (caller is null)
                {
                    return refused!;
                }

                if (declared.RequiresAdmin)
                {
                    if (await _admin.Value.AuthorizeAsync(caller, request.HttpContext.Response, cancellationToken) is { } notAdmin)
                    {
                        return notAdmin;
                    }
                }
                else if (caller.IsServiceClient && !declared.AcceptsServiceClients)
                {
                    // A client credentials token names no user: an endpoint that acts for one has nobody to act for.
                    return BearerToken.InsufficientScope(
                        request.HttpContext.Response, "This endpoint acts for a user; a service client's token cannot use it.");
                }
            }

            var (body, isForm, bodyProblem) = await ReadBodyAsync(declared.Body, request, cancellationToken);
            if (bodyProblem is not null)
            {
                return bodyProblem;
            }

            return await declared.InvokeAsync(endpoint.Handlers, new EndpointRequest(request, _throttle, caller, body, isForm), cancellationToken);
        }
        catch (StorageUnavailableException e)
        {
            // The one place a storage fault becomes an answer: logged without the request's credentials, 503 with
            // Retry-After, and nothing was changed that the retry would not change again.
            return Problems.StorageUnavailable(request, _logger, e);
        }
    }

    /// <summary>The body the endpoint reads: its media type is one the endpoint takes (else 415) and it fits the limit (else 413).</summary>
    /// <summary>
    /// CORS for the endpoints a browser app calls from its own origin. No cookies are ever allowed along
    /// (<c>Access-Control-Allow-Credentials</c> is never sent): these endpoints take their credentials in the request.
    /// </summary>
    private void AllowCrossOrigin(CrossOrigin allowed, HttpRequest request)
    {
        if (allowed == CrossOrigin.None || request.Headers.Origin is not [{ Length: > 0 } origin])
        {
            return;
        }

        var headers = request.HttpContext.Response.Headers;
        if (allowed == CrossOrigin.Anyone)
        {
            headers.AccessControlAllowOrigin = "*";
            return;
        }

        headers.Append("Vary", "Origin");
        if (_clients.Value.IsClientOrigin(origin))
        {
            headers.AccessControlAllowOrigin = origin;
        }
    }

    private static async ValueTask<(byte[] Body, bool IsForm, ProblemHttpResult? Problem)> ReadBodyAsync(
        BodyKind kind, HttpRequest request, CancellationToken cancellationToken)
    {
        if (kind == BodyKind.None)
        {
            return ([], false, null);
        }

        if (kind == BodyKind.NdJson)
        {
            // Streamed by the handler: only the media type is checked here.
            return RequestBody.IsUtf8MediaType(request, RequestBody.NdJsonMediaType)
                ? ([], false, null)
                : ([], false, Problems.UnsupportedMediaType($"Send the body as {RequestBody.NdJsonMediaType} (UTF-8), one JSON object per line."));
        }

        var (isJson, isForm, isUtf8) = RequestBody.MediaTypeOf(request);
        isForm &= kind is BodyKind.JsonOrForm or BodyKind.OAuthParameters or BodyKind.Form;
        isJson &= kind != BodyKind.Form;
        if (!(isJson || isForm) || !isUtf8)
        {
            return ([], false, Problems.UnsupportedMediaType(kind switch
            {
                BodyKind.Json => $"Send the body as {RequestBody.JsonMediaType} (UTF-8).",
                BodyKind.JsonOrForm => $"Send the body as {RequestBody.JsonMediaType} or {RequestBody.FormMediaType} (UTF-8).",
                BodyKind.Form => $"Send the form as {RequestBody.FormMediaType} (UTF-8).",
                _ => $"Send the parameters as {RequestBody.FormMediaType} (or {RequestBody.JsonMediaType}), UTF-8.",
            }));
        }

        return await RequestBody.ReadAsync(request, cancellationToken) is { } body
            ? (body, isForm, null)
            : ([], false, Problems.TooLarge(RequestBody.MaxBytes));
    }
}

/// <summary>A declared endpoint bound to the app's instance of its handlers' class.</summary>
internal sealed class RunnableEndpoint(EndpointRunner runner, FuncAuthEndpoint declaration, object handlers)
{
    public FuncAuthEndpoint Declaration { get; } = declaration;

    public object Handlers { get; } = handlers;

    public ValueTask<IResult> RunAsync(HttpRequest request, CancellationToken cancellationToken) => runner.RunAsync(this, request, cancellationToken);
}
