using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using FuncAuth.Accounts;
using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using FuncAuth.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Import;

/// <summary>
/// <c>POST api/admin/users/import</c>: users from another system, one JSON object per line (<c>application/x-ndjson</c>),
/// streamed, each line answered on its own line as it is decided (created, exists, refused and why). Administrators only.
/// </summary>
internal sealed class UserImportEndpoints(UserImporter importer, ILogger<UserImportEndpoints> logger)
{
    private const string Tag = "Administration";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ImportUsers, FuncAuthRoutes.AdminUserImport, Tag, (UserImportEndpoints api, EndpointRequest request, CancellationToken ct) => api.ImportAsync(request, ct)) with
        {
            Summary = "Import users",
            Description = "Creates users from another system: the body is application/x-ndjson, one JSON object per line with `username` " +
                "(required), `id` (optional: the old system's user id, kept as the `sub` of the user's tokens; " + UserIds.Rule + "), " +
                "`email` and `email_confirmed`, `roles`, and `password_hash` (ASP.NET Core Identity V2 or V3 as in AspNetUsers.PasswordHash, " +
                "bcrypt $2a$/$2b$/$2y$ of cost 4 to 16, or FuncAuth's $pbkdf2-sha256$; verified at the user's next sign-in and then " +
                "replaced by FuncAuth's own; none: no usable password until a password reset). Other fields are refused by name. " +
                "The body is read as it arrives (no size limit of its own; the Functions host takes at most 100 MB per request: split " +
                "larger files) and the answer is 200 application/x-ndjson, one line per input line in input order, sent as each is " +
                "decided: `{\"line\":N,\"username\":...,\"id\":...,\"result\":\"created\"|\"exists\"|\"refused\",\"error\":...}`. " +
                "`exists`: the name has an account, nothing changed (a file sent twice answers `exists` for every user the first " +
                "run made). `refused`: a malformed line, an unknown field, an invalid value or hash, an id or email address another " +
                "user holds, a line over 16 KiB (skipped unread); nothing of it was written. Blank lines are counted and not " +
                "answered. Never half a user: the address is claimed, then the account written, and the claim given back if it " +
                "could not be. No mail is sent. A storage fault before the first answer line is a 503; after it, a last line " +
                "`\"result\":\"stopped\"` says at which line the import stopped: send the file again.",
            RequiresAdmin = true,
            Body = BodyKind.NdJson,
            BodySchema = typeof(ImportedUser),
        },
    ];

    /// <summary>The import: the answer is written as the body is read; what is returned only says so.</summary>
    private async ValueTask<UsersImported> ImportAsync(EndpointRequest request, CancellationToken cancellationToken)
    {
        // A file of users can be larger than Kestrel's 30 MB default; it is never held whole, so it needs no limit of its own
        // beyond the host's (the Functions host takes 100 MB per request). Only an administrator gets this far.
        if (request.Http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        await using var output = new ImportResultWriter(request.Response);
        var tally = await importer.ImportAsync(request.Http.BodyReader, output, cancellationToken);
        await output.CompleteAsync();

        // One event per import, naming the administrator (or client); a line's fate is in the answer, not the log.
        SecurityEvents.UsersImported(logger, request.Caller.Subject, tally.Lines, tally.Created, tally.Existing, tally.Refused);
        if (tally.StoppedAt is { } line)
        {
            SecurityEvents.UserImportStopped(logger, request.Caller.Subject, line);
        }

        return UsersImported.Instance;
    }
}

/// <summary>200 from the import: its lines were written to the response as they were decided (see <see cref="ImportLineResult"/>).</summary>
internal sealed class UsersImported : IResult, IEndpointMetadataProvider
{
    public static UsersImported Instance { get; } = new();

    public Task ExecuteAsync(HttpContext httpContext) => Task.CompletedTask;

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(ImportLineResult), [RequestBody.NdJsonMediaType]));
}

/// <summary>One line of an import's body (for the document: lines are read by <see cref="ImportLine.Parse"/>).</summary>
internal sealed class ImportedUser
{
    [JsonPropertyName(ImportLine.UsernameField)]
    [Required]
    [Description(Credentials.UsernameDescription)]
    public string? Username { get; init; }

    [JsonPropertyName(ImportLine.IdField)]
    [Description("Optional: the user's id in the system they come from, kept as their `sub`; " + UserIds.Rule + ". A new GUID when absent.")]
    public string? Id { get; init; }

    [JsonPropertyName(ImportLine.EmailField)]
    [Description("Optional: the account's email address (the rules of registration); refused when another user holds it.")]
    public string? Email { get; init; }

    [JsonPropertyName(ImportLine.EmailConfirmedField)]
    [Description("Whether the address is confirmed (default false); true needs an email.")]
    public bool? EmailConfirmed { get; init; }

    [JsonPropertyName(ImportLine.RolesField)]
    [Description("Optional: the user's roles, each " + Accounts.Roles.Rule + "; at most 32.")]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonPropertyName(ImportLine.PasswordHashField)]
    [Description("Optional: ASP.NET Core Identity V2 or V3 (base64, as in AspNetUsers.PasswordHash; V3 at most 1,000,000 " +
        "iterations), bcrypt ($2a$, $2b$, $2y$; cost 4 to 16) or FuncAuth's $pbkdf2-sha256$. Verified at the next sign-in, then " +
        "replaced by FuncAuth's own hash. Absent: the account has no usable password until a password reset.")]
    public string? PasswordHash { get; init; }
}
