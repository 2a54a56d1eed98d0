using System.Globalization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Admin;

/// <summary>
/// The admin API over users: list and page through them, read one, change their roles or disable them, delete them, sign
/// them out everywhere, clear their lockout. The runner lets only administrators in (<see cref="AdminAuthorization"/>); every
/// action is a security event naming the administrator, the action and the user.
/// </summary>
internal sealed class AdminUserEndpoints(UserAdministration administration, ILogger<AdminUserEndpoints> logger)
{
    private const string Tag = "Administration";

    public const int DefaultLimit = 100;

    public const int MaxLimit = 500;

    private const string Who = "Only for administrators: a bearer token of a user holding the role FuncAuth:Admin:Role (in the token " +
        "and, read again at every request, on the account, which must not be disabled), or of a service client granted the " +
        "funcauth.admin scope and still registered with it; anyone else gets 403 (insufficient_scope). ";

    private const string IdParameter = "The user's id, as the listing gives it.";

    private const string UnknownId = "An unknown id and one that cannot be an id get the same 404.";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.ListUsers, FuncAuthRoutes.AdminUsers, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.ListAsync(request, ct)) with
        {
            Summary = "List users",
            Description = Who + "Answers a page of users in the order of their stored keys, {\"users\": [...], \"next_cursor\": ...}: " +
                "each user's id, username, email (null when none), email_confirmed, roles, disabled, locked_until (RFC 3339, null " +
                "when not locked), created_at and last_sign_in_at (null when not recorded), mfa_enabled (TOTP on). Query: limit 1 " +
                "to 500 (default 100); prefix, a username prefix matched as usernames are compared (Unicode-normalised and " +
                "case-folded); cursor, the next_cursor of the previous page, with the same prefix. A page may hold fewer users " +
                "than the limit, even none, while next_cursor is still set: keep following it until it is null. A limit out of " +
                "range, a prefix that is no username's beginning, or a cursor that is not one (or was made for another prefix) is " +
                "400 naming the parameter.",
            RequiresAdmin = true,
            Problems = [Status400BadRequest],
            Describe = builder => builder
                .WithQueryParameter("limit", "How many users a page holds at most: 1 to 500 (default 100).")
                .WithQueryParameter("prefix", "Only users whose username starts with this, compared as usernames are (normalised, case-folded).")
                .WithQueryParameter("cursor", "The next_cursor of the previous page (made with the same prefix)."),
        },
        FuncAuthEndpoint.Get(FuncAuthEndpointNames.GetUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.GetAsync(request, ct)) with
        {
            Summary = "Read a user",
            Description = Who + "Answers the user with that id, as the listing shows users. " + UnknownId,
            RequiresAdmin = true,
            Problems = [Status404NotFound],
            Describe = builder => builder.WithRouteParameter("id", IdParameter),
        },
        FuncAuthEndpoint.Patch(FuncAuthEndpointNames.UpdateUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.UpdateAsync(request, ct)) with
        {
            Summary = "Change a user's roles, or disable or enable them",
            Description = Who + "JSON {\"roles\": [...], \"disabled\": true|false}, at least one of them: roles replaces the user's " +
                "whole set of roles, disabled switches the account off or on. Answers the user as changed. Disabling ends every " +
                "session of the user and refuses every access token issued before it on every instance within " +
                "FuncAuth:Revocation:MaxStaleness; the user cannot sign in until enabled again, and enabling revives no session or " +
                "token. A changed role reaches the user's tokens at their next refresh or sign-in; tokens already issued keep " +
                "their roles claim until they expire (the admin API itself reads the account again, so a removed admin role is " +
                "refused at once). Concurrent changes each land (each is applied again to the user as it is after the other). " +
                "An administrator cannot disable themselves or take away their own admin role (409). An invalid body or role " +
                "name is 400 naming the field; " + UnknownId,
            RequiresAdmin = true,
            Body = BodyKind.Json,
            BodySchema = typeof(AdminUserPatchBody),
            Problems = [Status400BadRequest, Status404NotFound, Status409Conflict],
            Describe = builder => builder.WithRouteParameter("id", IdParameter),
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.DeleteUser, FuncAuthRoutes.AdminUser, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.DeleteAsync(request, ct)) with
        {
            Summary = "Delete a user",
            Description = Who + "Deletes the user as their own account deletion does, without their password: every session " +
                "ended and every earlier access token refused (on every instance within FuncAuth:Revocation:MaxStaleness), the " +
                "account removed with its second factor and passkeys, its email address and username free again. 204. An " +
                "administrator cannot delete themselves here (409; DELETE " + FuncAuthRoutes.Account + " does it). " + UnknownId,
            RequiresAdmin = true,
            Problems = [Status404NotFound, Status409Conflict],
            Describe = builder => builder.WithRouteParameter("id", IdParameter),
        },
        FuncAuthEndpoint.Delete(FuncAuthEndpointNames.EndUserSessions, FuncAuthRoutes.AdminUserSessions, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.EndSessionsAsync(request, ct)) with
        {
            Summary = "Sign a user out everywhere",
            Description = Who + "Signs the user out everywhere, as their own logout everywhere does: every session ended, every " +
                "access token issued before it refused on every instance within FuncAuth:Revocation:MaxStaleness. The user can " +
                "sign in again. 204. " + UnknownId,
            RequiresAdmin = true,
            Problems = [Status404NotFound],
            Describe = builder => builder.WithRouteParameter("id", IdParameter),
        },
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.UnlockUser, FuncAuthRoutes.AdminUserUnlock, Tag, (AdminUserEndpoints api, EndpointRequest request, CancellationToken ct) => api.UnlockAsync(request, ct)) with
        {
            Summary = "Clear a user's lockout",
            Description = Who + "Lifts the user's lockout and forgets their failed password checks, as a password reset does; " +
                "the right password works again at once. 204, whether or not the user was locked. " + UnknownId,
            RequiresAdmin = true,
            Problems = [Status404NotFound],
            Describe = builder => builder.WithRouteParameter("id", IdParameter),
        },
    ];

    /// <summary><c>GET api/admin/users?limit=&amp;prefix=&amp;cursor=</c> → 200 <see cref="AdminUserList"/>.</summary>
    private async ValueTask<Results<Ok<AdminUserList>, ProblemHttpResult>> ListAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var query = request.Http.Query;
        if (query["limit"].Count > 1 || query["prefix"].Count > 1 || query["cursor"].Count > 1)
        {
            return Problems.BadRequest("Give each of limit, prefix and cursor at most once.");
        }

        var limit = DefaultLimit;
        if (query["limit"] is [{ } limitText]
            && !(int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            return Problems.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }

        UsernamePrefix? prefix = null;
        if (query["prefix"] is [{ Length: > 0 } prefixText] && !UsernamePrefix.TryCreate(prefixText, out prefix, out _))
        {
            return Problems.Invalid("prefix", "prefix must be the beginning of a username.");
        }

        string? continuation = null;
        if (query["cursor"] is [{ Length: > 0 } cursor] && (continuation = ListCursor.Decode(cursor, prefix?.Key)) is null)
        {
            return Problems.Invalid("cursor", "cursor must be a next_cursor of this listing, used with the same prefix.");
        }

        var (users, next) = await administration.ListAsync(prefix, continuation, limit, cancellationToken);
        SecurityEvents.AdminUsersListed(logger, AdminAuthorization.NameOf(request.Caller), users.Count);
        return TypedResults.Ok(new AdminUserList(users, next is null ? null : ListCursor.Encode(next, prefix?.Key)));
    }

    /// <summary><c>GET api/admin/users/{id}</c> → 200 <see cref="AdminUser"/>.</summary>
    private async ValueTask<Results<Ok<AdminUser>, ProblemHttpResult>> GetAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValue("id");
        if (await administration.FindAsync(id, cancellationToken) is not { } account)
        {
            return NoSuchUser();
        }

        SecurityEvents.AdminUserRead(logger, AdminAuthorization.NameOf(request.Caller), account.Id);
        return TypedResults.Ok(await administration.ViewAsync(account, cancellationToken));
    }

    /// <summary><c>PATCH api/admin/users/{id}</c>: JSON <see cref="AdminUserPatchBody"/> → 200 <see cref="AdminUser"/>, as changed.</summary>
    private async ValueTask<Results<Ok<AdminUser>, ProblemHttpResult>> UpdateAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var (fields, problem) = RequestBody.ParseJson(request.Body, AdminJson.Default.AdminUserPatchBody, "{\"roles\": [\"...\"], \"disabled\": false}");
        if (fields is null)
        {
            return problem!;
        }

        if (fields.Roles is null && fields.Disabled is null)
        {
            return Problems.BadRequest("Give roles, disabled or both.");
        }

        IReadOnlyList<string>? roles = null;
        if (fields.Roles is not null && (roles = Roles.Normalize(fields.Roles, out var rolesError)) is null)
        {
            return Problems.Invalid("roles", rolesError!);
        }

        var id = request.RouteValue("id") ?? string.Empty;
        var admin = AdminAuthorization.NameOf(request.Caller);
        var (outcome, account) = await administration.UpdateAsync(request.Caller, id, roles, fields.Disabled, cancellationToken);
        switch (outcome)
        {
            case AdminChange.NotFound:
                return NoSuchUser();
            case AdminChange.Self:
                SecurityEvents.AdminChangeRefused(logger, admin, "change", account!.Id, "an administrator cannot disable themselves or take their own admin role away");
                return Problems.Conflict("You cannot disable yourself or take away your own administrator role; another administrator can.");
            case AdminChange.Conflict:
                return Problems.Conflict("The user kept changing while the change was being made; it may not have been made. Read the user and try again.");
        }

        SecurityEvents.AdminUserUpdated(logger, admin, account!.Id, Roles.Join(account.RoleNames), account.Disabled);
        return TypedResults.Ok(await administration.ViewAsync(account, cancellationToken));
    }

    /// <summary><c>DELETE api/admin/users/{id}</c> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> DeleteAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValue("id") ?? string.Empty;
        var admin = AdminAuthorization.NameOf(request.Caller);
        switch (await administration.DeleteAsync(request.Caller, id, cancellationToken))
        {
            case AdminChange.NotFound:
                return NoSuchUser();
            case AdminChange.Self:
                SecurityEvents.AdminChangeRefused(logger, admin, "deletion", id, "an administrator cannot delete themselves through the admin API");
                return Problems.Conflict($"You cannot delete yourself through the admin API; DELETE {FuncAuthRoutes.Account} deletes your own account.");
        }

        SecurityEvents.AdminUserDeleted(logger, admin, id);
        return TypedResults.NoContent();
    }

    /// <summary><c>DELETE api/admin/users/{id}/sessions</c> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> EndSessionsAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValue("id") ?? string.Empty;
        if (await administration.EndSessionsAsync(id, cancellationToken) == AdminChange.NotFound)
        {
            return NoSuchUser();
        }

        SecurityEvents.AdminUserSignedOut(logger, AdminAuthorization.NameOf(request.Caller), id);
        return TypedResults.NoContent();
    }

    /// <summary><c>POST api/admin/users/{id}/unlock</c> → 204.</summary>
    private async ValueTask<Results<NoContent, ProblemHttpResult>> UnlockAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        var id = request.RouteValue("id") ?? string.Empty;
        if (await administration.UnlockAsync(id, cancellationToken) == AdminChange.NotFound)
        {
            return NoSuchUser();
        }

        SecurityEvents.AdminUserUnlocked(logger, AdminAuthorization.NameOf(request.Caller), id);
        return TypedResults.NoContent();
    }

    // The id is not echoed: the same answer for every unknown id, and no input reflected.
    private static ProblemHttpResult NoSuchUser() => Problems.NotFound("There is no user with that id.");
}
