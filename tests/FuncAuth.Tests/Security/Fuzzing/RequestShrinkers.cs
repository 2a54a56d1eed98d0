
namespace FuncAuth.Tests.Security.Fuzzing;

/// <summary>Shrinking toward the smallest request that still fails: fewer headers, no query, a smaller body, shorter strings.</summary>
public static class RequestShrinkers
{
    public static IEnumerable<FuzzRequest> Request(FuzzRequest request)
    {
        for (var i = 0; i < request.Headers.Count; i++)
        {
            yield return request with { Headers = [.. request.Headers.Where((_, j) => j != i)] };
        }

        if (request.Query.Count > 0)
        {
            yield return request with { Query = [] };
        }

        if (request.Body is not null)
        {
            yield return request with { Body = null };
            foreach (var body in Body(request.Body))
            {
                yield return request with { Body = body };
            }
        }

        if (request.ContentType is not null)
        {
            yield return request with { ContentType = null };
        }

        if (request.Id is not null)
        {
            foreach (var id in Text(request.Id))
            {
                yield return request with { Id = id };
            }
        }

        for (var i = 0; i < request.Headers.Count; i++)
        {
            foreach (var value in Text(request.Headers[i].Value))
            {
                var index = i;
                yield return request with { Headers = [.. request.Headers.Select((h, j) => j == index ? new KeyValuePair<string, string>(h.Key, value) : h)] };
            }
        }
    }

    public static IEnumerable<TokenRequest> TokenRequest(TokenRequest request)
    {
        for (var i = 0; i < request.Parameters.Count; i++)
        {
            yield return request with { Parameters = [.. request.Parameters.Where((_, j) => j != i)] };
        }

        for (var i = 0; i < request.Parameters.Count; i++)
        {
            foreach (var value in Text(request.Parameters[i].Value))
            {
                var index = i;
                yield return request with { Parameters = [.. request.Parameters.Select((p, j) => j == index ? new KeyValuePair<string, string>(p.Key, value) : p)] };
            }
        }
    }

    private static IEnumerable<FuzzBody> Body(FuzzBody body)
    {
        switch (body)
        {
            case PaddedBody padded:
                yield return padded.Inner;
                break;
            case JsonBody json:
                if (json.Damage != JsonDamage.None)
                {
                    yield return json with { Damage = JsonDamage.None };
                }

                foreach (var root in Json(json.Root))
                {
                    yield return json with { Root = root };
                }

                break;
            case FormBody form:
                for (var i = 0; i < form.Fields.Count; i++)
                {
                    yield return new FormBody([.. form.Fields.Where((_, j) => j != i)]);
                }

                for (var i = 0; i < form.Fields.Count; i++)
                {
                    foreach (var value in Text(form.Fields[i].Value ?? string.Empty))
                    {
                        var index = i;
                        yield return new FormBody([.. form.Fields.Select((f, j) => j == index ? f with { Value = value } : f)]);
                    }
                }

                break;
            case RawBody raw when raw.Bytes.Length > 1:
                yield return new RawBody(raw.Bytes[..(raw.Bytes.Length / 2)]);
                yield return new RawBody(raw.Bytes[(raw.Bytes.Length / 2)..]);
                break;
            case MultipartBody multipart:
                for (var i = 0; i < multipart.Parts.Count; i++)
                {
                    yield return multipart with { Parts = [.. multipart.Parts.Where((_, j) => j != i)] };
                }

                break;
        }
    }

    private static IEnumerable<JsonSpec> Json(JsonSpec json)
    {
        switch (json)
        {
            case JObject o:
                for (var i = 0; i < o.Members.Count; i++)
                {
                    yield return new JObject([.. o.Members.Where((_, j) => j != i)]);
                }

                for (var i = 0; i < o.Members.Count; i++)
                {
                    foreach (var value in Json(o.Members[i].Value))
                    {
                        var index = i;
                        yield return new JObject([.. o.Members.Select((m, j) => j == index ? new KeyValuePair<JText, JsonSpec>(m.Key, value) : m)]);
                    }
                }

                break;
            case JArray a:
                for (var i = 0; i < a.Items.Count; i++)
                {
                    yield return new JArray([.. a.Items.Where((_, j) => j != i)]);
                }

                break;
            case JText t:
                foreach (var value in Text(t.Value))
                {
                    yield return t with { Value = value };
                }

                if (t.Form != StringForm.Utf8)
                {
                    yield return t with { Form = StringForm.Utf8 };
                }

                break;
        }
    }

    /// <summary>Shorter strings (never through a marker): empty, each half, one character less.</summary>
    private static IEnumerable<string> Text(string text)
    {
        if (text.Length == 0 || text.Contains(FuzzText.MarkerStart, StringComparison.Ordinal))
        {
            yield break;
        }

        yield return string.Empty;
        if (text.Length > 1)
        {
            yield return text[..(text.Length / 2)];
            yield return text[(text.Length / 2)..];
        }

        if (text.Length <= 16)
        {
            for (var i = 0; i < text.Length && text.Length > 1; i++)
            {
                yield return text.Remove(i, 1);
            }
        }
    }
}
