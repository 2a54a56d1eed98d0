using FuncAuth.Http;
using FuncAuth.Http.Pipeline;
using Microsoft.AspNetCore.Http;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace FuncAuth.Import;

/// <summary>
/// <c>POST api/admin/users/import</c>: users from another system, one JSON object per line (<c>application/x-ndjson</c>),
/// streamed, each line answered on its own line as it is decided (created, exists, refused and why). Administrators only.
/// </summary>
internal sealed class UserImportEndpoints
{
    private const string Tag = "Administration";

    public static IEnumerable<FuncAuthEndpoint> Declarations =>
    [
        FuncAuthEndpoint.Post(FuncAuthEndpointNames.ImportUsers, FuncAuthRoutes.AdminUserImport, Tag, (UserImportEndpoints api, EndpointRequest request, CancellationToken ct) => api.ImportAsync(request, ct)) with
        {
            Summary = "Import users",
            RequiresAdmin = true,
            Body = BodyKind.NdJson,
            Problems = [Status400BadRequest],
        },
    ];

    public ValueTask<IResult> ImportAsync(EndpointRequest request, CancellationToken cancellationToken) => throw new NotImplementedException("skeleton");
}
