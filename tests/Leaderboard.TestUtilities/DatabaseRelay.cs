using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Leaderboard.TestUtilities;

/// <summary>
/// A TCP relay in front of the test cluster, so one test can take "its" database down and bring it back without
/// stopping the cluster the other tests share: while down, open connections are cut and new ones closed at once.
/// </summary>
public sealed class DatabaseRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private volatile bool _down;

    /// <param name="connectionString">The database to relay to; <see cref="ConnectionString"/> reaches it through the relay.</param>
    public DatabaseRelay(string connectionString)
    {
        var upstream = new NpgsqlConnectionStringBuilder(connectionString);
        _upstreamHost = upstream.Host!;
        _upstreamPort = upstream.Port;
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;
        _ = AcceptAsync();
    }

    public string ConnectionString { get; }

    /// <summary>The database becomes unreachable: every open connection is cut, new ones are refused.</summary>
    public void TakeDown()
    {
        _down = true;
        lock (_open)
        {
            foreach (var client in _open) client.Dispose();
            _open.Clear();
        }
    }

    public void BringBack() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (_down)
            {
                client.Dispose();
                continue;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }
            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            await Task.WhenAny(clientStream.CopyToAsync(serverStream, _stop.Token), serverStream.CopyToAsync(clientStream, _stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A cut connection: the database client sees its socket closed, as when the server goes away.
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(client);
                _open.Remove(server);
            }
            client.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        TakeDown();
        _stop.Dispose();
    }
}
