using FuncAuth.Accounts;
using FuncAuth.Clients;
using FuncAuth.Http;
using FuncAuth.Security;
using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FuncAuth.Admin;

/// <summary>
/// Who may use the admin API, decided by the runner for every endpoint declared <c>RequiresAdmin</c>: a user whose token
/// carries <see cref="AdminOptions.Role"/> and whose account still holds it (and is not disabled), or a service client
/// whose token was granted <see cref="AdminOptions.Scope"/> and which is still registered with it. Anyone else: 403.
/// </summary>
/// <remarks>
/// A user's token issued to an application (it has <c>client_id</c>) never administers, whatever its roles.
/// The token's claim alone is not enough: a token outlives the change that took the role away (it is only refused at its
/// expiry or the user's cut-off), so the account is read again on every admin request (one point read). Likewise a client
/// removed from the configuration, or no longer allowed the scope, loses the admin API at once, whatever its token says.
/// </remarks>
internal sealed class AdminAuthorization(
    AccountService accounts, ClientRegistry clients, IOptions<AdminOptions> options, ILogger<AdminAuthorization> logger)
{
    /// <summary>How the administrator is named in security events: the user id, or <c>client:&lt;client_id&gt;</c>.</summary>
    public static string NameOf(AccessToken caller) =>
        caller.IsServiceClient ? $"client:{caller.ClientId ?? caller.Subject}" : caller.Subject;

    /// <summary>Null when <paramref name="caller"/> may administer; else the 403 (RFC 6750 <c>insufficient_scope</c>).</summary>
    public async ValueTask<ProblemHttpResult?> AuthorizeAsync(AccessToken caller, HttpResponse response, CancellationToken cancellationToken)
    {
        var refusal = caller.IsServiceClient ? RefuseClient(caller) : await RefuseUserAsync(caller, cancellationToken);
        if (refusal is null)
        {
            return null;
        }

        SecurityEvents.AdminAccessRefused(logger, NameOf(caller), refusal);
        return BearerToken.InsufficientScope(response, refusal);
    }

    private string? RefuseClient(AccessToken caller)
    {
        if (!caller.HasScope(AdminOptions.Scope))
        {
            return $"The admin API needs a token granted the {AdminOptions.Scope} scope.";
        }

        return clients.Find(caller.ClientId ?? caller.Subject) is { } client && client.AllowedScopes.Contains(AdminOptions.Scope)
            ? null
            : $"The client is no longer registered with the {AdminOptions.Scope} scope.";
    }

    private async Task<string?> RefuseUserAsync(AccessToken caller, CancellationToken cancellationToken)
    {
        // A user's token issued to a registered application (the code flow) is that application's to use for the user,
        // with the scopes it asked for; none of them is the admin API. Only a token the administrator got for themselves
        // (login, the password or mfa grant) administers, so signing in to some app never hands it the admin API.
        if (caller.ClientId is not null)
        {
            return "The admin API takes an administrator's own token (from login), not one issued to an application.";
        }

        var role = options.Value.Role;
        if (!caller.HasRole(role))
        {
            return "The admin API needs a token of a user with the administrator role (FuncAuth:Admin:Role).";
        }

        var account = await accounts.FindCallerAsync(caller, cancellationToken);
        return account switch
        {
            null => "The token's account no longer exists.",
            { Disabled: true } => "The token's account is disabled.",
            _ when !account.RoleNames.Contains(role, StringComparer.Ordinal) => "The token's account no longer holds the administrator role.",
            _ => null,
        };
    }
}
