using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FuncAuth.SingleSignOn;

/// <summary>
/// 303 See Other to <paramref name="location"/>: after a form's POST the browser follows with a GET (RFC 9110 §15.4.4),
/// so reloading the page it lands on never posts the password again.
/// </summary>
internal sealed class SeeOther(string location) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public string Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status303SeeOther, typeof(void)));
    }
}
