using System.Net;
using Microsoft.Extensions.Options;

namespace FuncAuth.Passkeys;

/// <summary>
/// Refuses at start-up a relying party a browser would refuse later: an RP id that is not a plain host name, an origin
/// that is not https (http is only a secure context on localhost), or an origin outside the RP id's domain (WebAuthn §5.1.3:
/// a page may only use an RP id that is its own host or a registrable suffix of it).
/// </summary>
internal sealed class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>
{
    private const string Section = PasskeyOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PasskeyOptions options)
    {
        var failures = new List<string>();
        var rpId = string.IsNullOrEmpty(options.RelyingPartyId) ? null : options.RelyingPartyId;
        if (rpId is not null && !IsHostName(rpId))
        {
            failures.Add($"{Section}:RelyingPartyId must be a lower-case host name (such as auth.example.com): no scheme, port, path or IP address.");
        }

        if (options.RelyingPartyName is { Length: > 0 } rpName && (rpName.Length > 64 || rpName.Any(char.IsControl) || rpName.Trim().Length == 0))
        {
            failures.Add($"{Section}:RelyingPartyName must be 1 to 64 characters, without control characters.");
        }

        var origins = (options.Origins ?? []).Where(o => !string.IsNullOrEmpty(o)).ToList();
        if (origins.Count > 0 && rpId is null)
        {
            failures.Add($"{Section}:Origins needs {Section}:RelyingPartyId: the origins must belong to the relying party's domain.");
        }

        foreach (var origin in origins)
        {
            if (OriginProblem(origin, rpId) is { } problem)
            {
                failures.Add($"{Section}:Origins: '{origin}' {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A DNS name in its lower-case ASCII form (an internationalised one as punycode), not an IP address.</summary>
    internal static bool IsHostName(string value) =>
        value.Length <= 253
        && !value.Any(char.IsAsciiLetterUpper)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
        && Uri.CheckHostName(value) == UriHostNameType.Dns
        && !IPAddress.TryParse(value, out _)
        && !value.Split('.').Last().All(char.IsAsciiDigit);

    /// <summary>Why <paramref name="origin"/> cannot be a page of relying party <paramref name="rpId"/>, or null when it can.</summary>
    internal static string? OriginProblem(string origin, string? rpId)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.AbsolutePath != "/" || origin.EndsWith('/') || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return "is not an origin: scheme, host and optional port only, such as https://auth.example.com.";
        }

        var host = uri.IdnHost;
        if (uri.Scheme == Uri.UriSchemeHttp && !(host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return "must be https (http only for localhost).";
        }

        return rpId is null || host == rpId || host.EndsWith("." + rpId, StringComparison.Ordinal)
            ? null
            : $"is not on the relying party's domain ({rpId} or a subdomain of it).";
    }
}
