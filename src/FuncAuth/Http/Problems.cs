using System.Text.Json.Serialization;
using FuncAuth.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace FuncAuth.Http;

/// <summary>The <c>application/problem+json</c> answers (RFC 9457) FuncAuth gives, in one place.</summary>
internal static class Problems
{
    /// <summary>How long a client should wait before retrying after a storage fault, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

    private const string ProblemContentType = "application/problem+json";

    /// <summary>What a failed login says, whatever failed.</summary>
    public const string LoginFailureDetail = "The username or password is incorrect.";

    private static readonly ProblemDetails LoginFailure = new()
    {
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        Title = "Unauthorized.",
        Status = StatusCodes.Status401Unauthorized,
        Detail = LoginFailureDetail,
    };

    public static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = message,
        });

    public static ProblemHttpResult BadRequest(string detail) =>
        Problem(StatusCodes.Status400BadRequest, "The request is invalid.", detail);

    public static ProblemHttpResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The request body must be at most {limit} bytes.");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail);

    public static ProblemHttpResult Forbidden(string detail) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden.", detail);

    public static ProblemHttpResult Conflict(string detail) =>
        Problem(StatusCodes.Status409Conflict, "Conflict.", detail);

    /// <summary>429 with Retry-After in whole seconds, rounded up (RFC 6585 §4).</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, TimeSpan retryAfter)
    {
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(StatusCodes.Status429TooManyRequests, "Too many requests.", "Too many requests from this client; wait as Retry-After says, then try again.");
    }

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found.", detail);

    /// <summary>RFC 9110 requires a challenge with every 401; <paramref name="challenge"/> is the whole header value.</summary>
    public static ProblemHttpResult Unauthorized(HttpResponse response, string challenge, string detail)
    {
        response.Headers.WWWAuthenticate = challenge;
        return Problem(StatusCodes.Status401Unauthorized, "Unauthorized.", detail);
    }

    /// <summary>
    /// The one answer to a failed login, whatever failed. It is written as it stands, not through the host's
    /// problem details service, so no per-request field (such as a trace id) varies between the two causes:
    /// the bodies are byte for byte the same.
    /// </summary>
    public static JsonHttpResult<ProblemDetails> LoginFailed(HttpResponse response)
    {
        response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Json(LoginFailure, LoginFailureJson.Default.ProblemDetails, ProblemContentType, StatusCodes.Status401Unauthorized);
    }

    /// <summary>A storage fault: logged (never with the request's credentials), answered 503 with Retry-After.</summary>
    public static ProblemHttpResult StorageUnavailable(HttpRequest request, ILogger logger, StorageUnavailableException exception)
    {
        Security.SecurityEvents.StorageUnavailable(logger, request.Path, exception);
        var response = request.HttpContext.Response;
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(
            StatusCodes.Status503ServiceUnavailable,
            "Service unavailable.",
            "The user store is unavailable; nothing was changed. Try again shortly.");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

}

[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class LoginFailureJson : JsonSerializerContext;
