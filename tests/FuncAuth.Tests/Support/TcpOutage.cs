using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FuncAuth.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a storage endpoint that a test can cut and restore: while cut, it accepts
/// nothing and drops every open connection, as an outage would; the storage behind it keeps its data.
/// </summary>
public sealed class TcpOutage : IAsyncDisposable
{
    private readonly int _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    public TcpOutage(int targetPort)
    {
        _target = targetPort;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    /// <summary>Rewrites a connection string's table endpoint to go through the relay.</summary>
    public string Through(string connectionString) =>
        connectionString.Replace($"127.0.0.1:{_target}", $"127.0.0.1:{Port}", StringComparison.Ordinal);

    public void Restore()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stop.Token);
    }

    public async Task CutAsync()
    {
        await _stop!.CancelAsync();
        _listener!.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        _connections.Clear();
        await _accepting!.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is not null)
        {
            await CutAsync();
        }

        _stop?.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient();
        _connections[client] = 0;
        _connections[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _target, cancellationToken);
            var clientStream = client.GetStream();
            var upstreamStream = upstream.GetStream();
            await Task.WhenAny(
                clientStream.CopyToAsync(upstreamStream, cancellationToken),
                upstreamStream.CopyToAsync(clientStream, cancellationToken));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _connections.TryRemove(client, out _);
            _connections.TryRemove(upstream, out _);
            client.Dispose();
        }
    }
}
