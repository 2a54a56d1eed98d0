using System.Buffers;
using System.Text.Json;
using FuncAuth.Http;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.Import;

/// <summary>
/// The import's answer, one JSON object per line. Nothing is sent (nor the status decided) until the first result is written:
/// a storage fault before then is still an ordinary 503.
/// </summary>
internal sealed class ImportResultWriter(HttpResponse response) : IDisposable
{
    private Utf8JsonWriter? _json;

    public bool Started => _json is not null;

    public void Write(ImportLineResult result)
    {
        if (_json is null)
        {
            Start();
        }

        _json!.Reset();
        JsonSerializer.Serialize(_json, result, ImportJson.Default.ImportLineResult);
        _json.Flush();
        response.BodyWriter.Write("\n"u8);
    }

    /// <summary>The 200 and its media type: at the first result, or for an input with no line at all.</summary>
    public void Start()
    {
        if (_json is not null)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = RequestBody.NdJsonMediaType + "; charset=utf-8";
        _json = new Utf8JsonWriter(response.BodyWriter);
    }

    public void Dispose() => _json?.Dispose();

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_json is not null)
        {
            await response.BodyWriter.FlushAsync(cancellationToken);
        }
    }
}
