using FuncAuth.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Admin;

/// <summary>
/// Who may use the admin API, decided by the runner for every endpoint declared <c>RequiresAdmin</c>: a user whose token
/// carries <see cref="AdminOptions.Role"/> and whose account still holds it (and is not disabled), or a service client
/// whose token was granted <see cref="AdminOptions.Scope"/> and which is still registered with it. Anyone else: 403.
/// </summary>
internal sealed class AdminAuthorization
{
    /// <summary>Null when <paramref name="caller"/> may administer; else the 403 (RFC 6750 <c>insufficient_scope</c>).</summary>
    public ValueTask<ProblemHttpResult?> AuthorizeAsync(AccessToken caller, HttpResponse response, CancellationToken cancellationToken) =>
        throw new NotImplementedException("skeleton");
}
