using System.Buffers;
using System.Globalization;
using System.Text;
using FuncAuth.Http;

namespace FuncAuth.Tests.Security.Fuzzing;

/// <summary>One generated request: a method, a route (with its <c>{id}</c>), query, content type, body and headers.</summary>
public sealed record FuzzRequest(
    string Method,
    string Route,
    string Path,
    string? Id,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    string? ContentType,
    FuzzBody? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int Subject)
{
    /// <summary>The path the rules look at (no query, no slashes around it).</summary>
    public string PathForRules => Path.Trim('/');

    public bool HasMarkers => Strings().Any(s => s.Contains(FuzzText.MarkerStart, StringComparison.Ordinal));

    /// <summary>Path and query, percent-encoded (a lone surrogate as the bytes of WTF-8: invalid UTF-8).</summary>
    public string Target(Func<string, string> resolve)
    {
        // Kestrel refuses a NUL in the path (%00 included) with a 400 of its own before the app runs, and the test server
        // throws on it: the app can never see one, so it is left out of the path (and only there).
        var path = Id is null ? Path : Path.Replace("{id}", FuzzText.PercentEncode(resolve(Id).Replace("\0", string.Empty, StringComparison.Ordinal), plus: false), StringComparison.Ordinal);
        return Query.Count == 0
            ? path
            : $"{path}?{string.Join('&', Query.Select(q => $"{FuzzText.PercentEncode(q.Key, plus: false)}={FuzzText.PercentEncode(q.Value, plus: false)}"))}";
    }

    /// <summary>Every string the request carries, for the reflection check.</summary>
    public IEnumerable<string> Strings()
    {
        if (Id is not null)
        {
            yield return Id;
        }

        foreach (var (name, value) in Query.Concat(Headers))
        {
            yield return name;
            yield return value;
        }

        if (ContentType is not null)
        {
            yield return ContentType;
        }

        foreach (var text in Body?.Strings() ?? [])
        {
            yield return text;
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} /{(Id is null ? Path : Path.Replace("{id}", "{id=" + FuzzText.Render(Id) + "}", StringComparison.Ordinal))}");
        if (Query.Count > 0)
        {
            text.Append(" query [").AppendJoin(", ", Query.Select(q => $"{FuzzText.Render(q.Key)}={FuzzText.Render(q.Value)}")).Append(']');
        }

        text.Append(CultureInfo.InvariantCulture, $" | Content-Type: {(ContentType is null ? "(none)" : FuzzText.Render(ContentType))}");
        foreach (var (name, value) in Headers)
        {
            text.Append(CultureInfo.InvariantCulture, $" | {name}: {FuzzText.Render(value)}");
        }

        return text.Append(CultureInfo.InvariantCulture, $" | body: {Body?.ToString() ?? "(none)"} | subject: pool user {Subject}").ToString();
    }
}

/// <summary>A parameter set for the token endpoint, as a form or a JSON object (names may repeat, values may be empty).</summary>
public sealed record TokenRequest(IReadOnlyList<KeyValuePair<string, string>> Parameters, bool Json, FormEncoding Encoding, int Subject)
{
    public string ContentType => Json ? "application/json" : "application/x-www-form-urlencoded";

    public bool HasMarkers => Strings().Any(s => s.Contains(FuzzText.MarkerStart, StringComparison.Ordinal));

    public byte[] Body()
    {
        var body = new ArrayBufferWriter<byte>();
        if (Json)
        {
            new JsonBody(new JObject([.. Parameters.Select(p => new KeyValuePair<JText, JsonSpec>(new JText(p.Key, StringForm.Utf8), new JText(p.Value, StringForm.Utf8)))]), JsonDamage.None).Write(body);
        }
        else
        {
            new FormBody([.. Parameters.Select(p => new FormField(p.Key, p.Value, Encoding))]).Write(body);
        }

        return body.WrittenSpan.ToArray();
    }

    public IEnumerable<string> Strings() => Parameters.SelectMany(p => new[] { p.Key, p.Value });

    public override string ToString()
    {
        var body = Body();
        return $"POST /{FuncAuthRoutes.Token} | Content-Type: {ContentType} | body ({body.Length} bytes): {FuzzText.Render(body, 4000)} | subject: pool user {Subject}";
    }
}
