using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FuncAuth.Http;

/// <summary>The <c>application/problem+json</c> answers (RFC 9457) FuncAuth gives, in one place.</summary>
internal static class Problems
{
    /// <summary>How long a client should wait before retrying after a storage fault, in seconds.</summary>
    public const int RetryAfterSeconds = 5;

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

    /// <summary>RFC 9110 requires a challenge with every 401; <paramref name="challenge"/> is the whole header value.</summary>
    public static ProblemHttpResult Unauthorized(HttpResponse response, string challenge, string detail)
    {
        response.Headers.WWWAuthenticate = challenge;
        return Problem(StatusCodes.Status401Unauthorized, "Unauthorized.", detail);
    }

    public static ProblemHttpResult StorageUnavailable(HttpResponse response)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problem(
            StatusCodes.Status503ServiceUnavailable,
            "Service unavailable.",
            "The user store is unavailable; nothing was changed. Try again shortly.");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
