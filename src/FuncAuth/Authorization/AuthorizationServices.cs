using FuncAuth.Sessions;
using FuncAuth.SingleSignOn;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncAuth.Authorization;

/// <summary>The live browser session of a request (<see cref="BrowserSessions.FindAsync"/>), as the authorization endpoint asks for it.</summary>
internal delegate Task<Session?> BrowserSessionLookup(HttpRequest request, CancellationToken cancellationToken);

/// <summary>A new code for a grant (<see cref="AuthorizationCodes.IssueAsync"/>), as the authorization endpoint asks for it.</summary>
internal delegate Task<string> AuthorizationCodeIssuer(AuthorizationGrant grant, CancellationToken cancellationToken);

internal static class AuthorizationServices
{
    /// <summary>The authorization endpoint and its codes.</summary>
    public static IServiceCollection AddFuncAuthAuthorization(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<AuthorizationEndpoints>();
        services.TryAddSingleton<AuthorizationCodes>();

        // The endpoint reaches the single-sign-on session and the code store through these two, so its tests can stand
        // in for either and check every branch of the flow on its own.
        services.TryAddSingleton<BrowserSessionLookup>(sp => sp.GetRequiredService<BrowserSessions>().FindAsync);
        services.TryAddSingleton<AuthorizationCodeIssuer>(sp => sp.GetRequiredService<AuthorizationCodes>().IssueAsync);
        return services;
    }
}
