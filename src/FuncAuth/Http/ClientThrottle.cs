using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using FuncAuth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Http;

/// <summary>
/// Throttles each client address with <see cref="System.Threading.RateLimiting"/>: a fixed window per address and
/// budget (<see cref="Pipeline.Throttle"/>), answered 429 with Retry-After beyond it. The runner applies it, so both
/// hosts' requests pass it (no Kestrel-only middleware). Account lockout protects each name; the password budget
/// protects the service from one source spraying many names; the token budget only from one source spending storage.
/// </summary>
internal sealed partial class ClientThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _passwordChecks;
    private readonly PartitionedRateLimiter<string>? _tokenRequests;
    private readonly string? _addressHeader;
    private readonly TimeSpan _window;
    private readonly ILogger<ClientThrottle> _logger;
    private int _unreadableHeaderLogged;

    public ClientThrottle(IOptions<ThrottlingOptions> options, ILogger<ClientThrottle> logger)
    {
        var settings = options.Value;
        _logger = logger;
        _window = settings.Window;
        _addressHeader = string.IsNullOrWhiteSpace(settings.ClientAddressHeader) ? null : settings.ClientAddressHeader;
        _passwordChecks = Limiter(settings.PermitLimit, settings.Window);
        _tokenRequests = Limiter(settings.TokenRequestPermitLimit, settings.Window);
    }

    /// <summary>Null when the request may go on (or draws on no budget); otherwise the 429 to answer.</summary>
    public ProblemHttpResult? Check(HttpRequest request, Pipeline.Throttle budget)
    {
        var limiter = budget switch
        {
            Pipeline.Throttle.PasswordChecks => _passwordChecks,
            Pipeline.Throttle.TokenRequests => _tokenRequests,
            _ => null,
        };
        if (limiter is null)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(ClientOf(request));
        if (lease.IsAcquired)
        {
            return null;
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
        SecurityEvents.ClientThrottled(_logger, request.Path);
        return Problems.TooManyRequests(request.HttpContext.Response, retryAfter);
    }

    public void Dispose()
    {
        _passwordChecks?.Dispose();
        _tokenRequests?.Dispose();
    }

    /// <summary>A fixed window per client, or none when the limit is 0 (off).</summary>
    private static PartitionedRateLimiter<string>? Limiter(int permitLimit, TimeSpan window) =>
        permitLimit <= 0
            ? null
            : PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetFixedWindowLimiter(
                client, _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 }));

    /// <summary>
    /// The partition: the client's address, an IPv6 client by its /64 (one subscriber's prefix, which it can fill with
    /// addresses at will). A request without an address shares one partition with all others like it.
    /// </summary>
    internal string ClientOf(HttpRequest request)
    {
        IPAddress? address = request.HttpContext.Connection.RemoteIpAddress;
        if (_addressHeader is not null && !ForwardedAddress.TryParse(request.Headers[_addressHeader], out address))
        {
            // No address in the element the proxy appended: "unknown", not the connection's address. With the header
            // configured, the proxy is the only way in, so the connection's address is the proxy's: falling back to it
            // would not tell clients apart either, it would only spread them over the proxy's edge addresses and hide
            // the fault. The request either bypassed the proxy (then its sender could have written a valid address
            // just as well, so no fallback protects anything) or the proxy writes a form this does not read (a wrong
            // header name, say), which must be seen: it is logged once, without the value (client-written text).
            if (Interlocked.Exchange(ref _unreadableHeaderLogged, 1) == 0)
            {
                LogUnreadableAddressHeader(_logger, _addressHeader);
            }

            address = null;
        }

        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes).ToString() + "/64";
        }

        return address.ToString();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The client address header {Header} held no address in its last element; such requests share one throttling " +
        "budget. Check that the proxy sets this header and that only the proxy can reach the app. (Logged once.)")]
    private static partial void LogUnreadableAddressHeader(ILogger logger, string header);
}
