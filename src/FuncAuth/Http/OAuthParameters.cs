using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FuncAuth.Http;

/// <summary>
/// The parameters of an OAuth 2.0 request (RFC 6749 §3.2): a form body, or a JSON object of strings for clients
/// that prefer it. A parameter without a value counts as omitted (§3.1); one sent twice is refused (§3.2);
/// unknown ones are ignored (§3.2). Whatever is wrong with them is answered as a §5.2 error, never as a guess. A body
/// that is no parameters at all (another media type, over the size limit) is refused by the runner before, as everywhere
/// else in FuncAuth (415, 413 problem).
/// </summary>
internal static class OAuthParameters
{
    /// <summary>The parameters of a body the runner has already checked for media type and size; or the §5.2 error.</summary>
    public static (Dictionary<string, string>? Parameters, JsonHttpResult<OAuthError>? Error) Parse(byte[] body, bool isForm)
    {
        List<KeyValuePair<string, string>>? fields;
        if (isForm)
        {
            fields = RequestBody.ParseForm(body);
            if (fields is null)
            {
                return (null, OAuthErrors.InvalidRequest("The form body is not valid UTF-8 once percent-decoded."));
            }
        }
        else
        {
            (fields, var error) = RequestBody.ParseJsonObject(body);
            if (fields is null)
            {
                return (null, OAuthErrors.InvalidRequest(error!));
            }
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (value.Length == 0)
            {
                continue;
            }

            if (!parameters.TryAdd(name, value))
            {
                return (null, OAuthErrors.InvalidRequest($"The parameter \"{Printable(name)}\" was sent more than once."));
            }
        }

        return (parameters, null);
    }

    // A parameter name is the client's text: quote it only when it is short and plain.
    private static string Printable(string name) =>
        name.Length <= 40 && name.All(c => c is >= '!' and <= '~' && c != '"' && c != '\\') ? name : "…";
}

/// <summary>The error responses of RFC 6749 §5.2 (and RFC 7009 §2.2.1): 400, <c>application/json</c>, never cached.</summary>
internal static class OAuthErrors
{
    public static JsonHttpResult<OAuthError> InvalidRequest(string description) => Error("invalid_request", description);

    public static JsonHttpResult<OAuthError> InvalidGrant(string description) => Error("invalid_grant", description);

    public static JsonHttpResult<OAuthError> UnsupportedGrantType(string description) => Error("unsupported_grant_type", description);

    public static JsonHttpResult<OAuthError> UnauthorizedClient(string description) => Error("unauthorized_client", description);

    public static JsonHttpResult<OAuthError> InvalidScope(string description) => Error("invalid_scope", description);

    /// <summary>
    /// The right password for an account with a second factor on (no RFC error fits; Auth0 answers the same): 403
    /// <c>mfa_required</c> with the <c>mfa_token</c> the mfa grant completes.
    /// </summary>
    public static JsonHttpResult<OAuthError> MfaRequired(string description, string mfaToken) =>
        TypedResults.Json(new OAuthError("mfa_required", description, mfaToken), OAuthJson.Default.OAuthError, "application/json", StatusCodes.Status403Forbidden);

    /// <summary>
    /// <c>invalid_client</c> (RFC 6749 §5.2): 401 with a <c>WWW-Authenticate: Basic</c> challenge on <paramref name="response"/>
    /// when the client tried HTTP Basic authentication (a 401 must name a scheme, RFC 9110 §15.5.2), else 400.
    /// </summary>
    public static JsonHttpResult<OAuthError> InvalidClient(string description, HttpResponse response, bool usedBasic)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!usedBasic)
        {
            return Error("invalid_client", description);
        }

        response.Headers.WWWAuthenticate = BasicChallenge;
        return Error("invalid_client", description, StatusCodes.Status401Unauthorized);
    }

    /// <summary>The challenge of a failed <c>client_secret_basic</c> (RFC 7617).</summary>
    public const string BasicChallenge = "Basic realm=\"funcauth\", charset=\"UTF-8\"";

    private static JsonHttpResult<OAuthError> Error(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new OAuthError(error, description), OAuthJson.Default.OAuthError, "application/json", status);
}

[JsonSerializable(typeof(OAuthError))]
internal sealed partial class OAuthJson : JsonSerializerContext;
