using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using FuncAuth.Http;
using Microsoft.AspNetCore.Http;

namespace FuncAuth.Import;

/// <summary>
/// The import's answer, one JSON object per line, sent by a loop of its own so that reading the file never waits on the
/// client reading the answer: an HTTP/1.1 client such as .NET's HttpClient reads the answer only once it has sent the whole
/// body, and a server that stopped reading until its answer was read would wait for it forever. Up to
/// <see cref="MaxHeldLines"/> answer lines (a few MB) are held for such a client; past that, the import waits for the client
/// to read (a client that never does is cut off by Kestrel's minimum response data rate). Nothing is sent, nor the status
/// decided, until the first result is written: a storage fault before then is still an ordinary 503.
/// </summary>
internal sealed class ImportResultWriter(HttpResponse response) : IAsyncDisposable
{
    /// <summary>Answer lines held while the client is not reading; each is about 100 to 300 bytes.</summary>
    public const int MaxHeldLines = 50_000;

    private const int FlushBytes = 32 * 1024;

    private readonly Channel<byte[]> _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(MaxHeldLines) { SingleReader = true, SingleWriter = true });
    private Task? _sending;

    public bool Started => _sending is not null;

    public ValueTask WriteAsync(ImportLineResult result, CancellationToken cancellationToken)
    {
        Start();
        var json = JsonSerializer.SerializeToUtf8Bytes(result, ImportJson.Default.ImportLineResult);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return _lines.Writer.WriteAsync(line, cancellationToken);
    }

    /// <summary>The 200 and its media type: at the first result, or for an input with no line at all.</summary>
    public void Start()
    {
        if (_sending is not null)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = RequestBody.NdJsonMediaType + "; charset=utf-8";
        _sending = SendAsync();
    }

    /// <summary>Sends what is left and ends the answer.</summary>
    public async Task CompleteAsync()
    {
        Start();
        _lines.Writer.TryComplete();
        await _sending!;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        if (_sending is not null)
        {
            try
            {
                await _sending;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                // The client went away: there is no one left to answer.
            }
        }
    }

    private async Task SendAsync()
    {
        await Task.Yield();
        var reader = _lines.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var line))
                {
                    response.BodyWriter.Write(line);
                    if (response.BodyWriter.UnflushedBytes >= FlushBytes)
                    {
                        await response.BodyWriter.FlushAsync();
                    }
                }

                await response.BodyWriter.FlushAsync();
            }
        }
        catch (Exception e)
        {
            // Whatever stopped the answer stops the import too: its next write fails instead of waiting for room.
            _lines.Writer.TryComplete(e);
            throw;
        }
    }
}
