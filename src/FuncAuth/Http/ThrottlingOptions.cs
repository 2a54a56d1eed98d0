namespace FuncAuth.Http;

/// <summary>Per-client throttling of the endpoints that take a password or issue tokens: <c>FuncAuth:Throttling</c>.</summary>
public sealed class ThrottlingOptions
{
    public const string SectionName = "FuncAuth:Throttling";

    /// <summary>
    /// Password checks one client address may ask for per window (register, login, the password grant, password change,
    /// account deletion); 0 turns this budget off.
    /// </summary>
    public int PermitLimit { get; set; } = 30;

    /// <summary>
    /// Requests to the token and revocation endpoints one client address may make per window (refreshes among them); 0
    /// turns this budget off. Generous: a refresh token is 256 random bits and checks no password, and many users share
    /// one address behind carrier-grade NAT or an office proxy; it only stops one source spending storage transactions.
    /// </summary>
    public int TokenRequestPermitLimit { get; set; } = 600;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A request header that holds the client's address in the last element of its list, for deployments that only a
    /// trusted proxy can reach (Azure Front Door's <c>X-Azure-SocketIP</c>, Application Gateway's <c>X-Forwarded-For</c>;
    /// see <see cref="ForwardedAddress"/>). Unset (the default): the connection's address, which under Azure Functions is
    /// already the one the platform's front end saw (the worker applies the host's <c>X-Forwarded-For</c>).
    /// </summary>
    public string? ClientAddressHeader { get; set; }
}
