using System.Collections.Concurrent;
using System.Globalization;
using Leaderboard.Data;
using Npgsql;

namespace Leaderboard.Web.Features.Leaderboards;

/// <summary>
/// The tracks' leaderboard versions as <see cref="LeaderboardChangeListener"/> hears them from PostgreSQL. Known only
/// while the listener is connected: without it nothing here can be trusted, and callers read from the database instead.
/// </summary>
public sealed class LeaderboardVersions
{
    private readonly ConcurrentDictionary<string, int> _trackIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _versions = new();
    private volatile bool _live;

    public bool IsLive => _live;

    /// <summary>The track's current version, or null when it is not known (listener down, or a track not seen yet).</summary>
    public long? Current(string slug) =>
        _live && _trackIds.TryGetValue(slug, out var id) && _versions.TryGetValue(id, out var version) ? version : null;

    /// <summary>A version read from the database; versions only grow, so an older read never hides a newer one.</summary>
    public void Observe(string slug, int trackId, long version)
    {
        if (!_live) return;
        _trackIds[slug] = trackId;
        _versions.AddOrUpdate(trackId, version, (_, known) => Math.Max(known, version));
    }

    /// <summary>A <c>leaderboard_changed</c> payload: "trackId:version".</summary>
    public void Notified(string payload)
    {
        var colon = payload.IndexOf(':');
        if (colon < 0
            || !int.TryParse(payload.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var trackId)
            || !long.TryParse(payload.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new FormatException($"Unexpected {LeaderboardTriggers.Channel} payload '{payload}'.");
        _versions.AddOrUpdate(trackId, version, (_, known) => Math.Max(known, version));
    }

    /// <summary>Listening (LISTEN issued before the read): from now on every change arrives as a notification.</summary>
    public void Connected(IEnumerable<(int Id, string Slug, long Version)> tracks)
    {
        foreach (var (id, slug, version) in tracks)
        {
            _trackIds[slug] = id;
            _versions.AddOrUpdate(id, version, (_, known) => Math.Max(known, version));
        }
        _live = true;
    }

    public void Disconnected()
    {
        _live = false;
        _trackIds.Clear();
        _versions.Clear();
    }
}

/// <summary>Holds a connection that LISTENs on <see cref="LeaderboardTriggers.Channel"/> and feeds <see cref="LeaderboardVersions"/>; reconnects after a failure.</summary>
public sealed class LeaderboardChangeListener(IConfiguration configuration, LeaderboardVersions versions, ILogger<LeaderboardChangeListener> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(Extensions.ApplicationServices.ConnectionStringName)!;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or FormatException || Data.DatabaseOutage.IsOutage(exception))
            {
                logger.LogWarning(exception, "Lost the leaderboard change feed; leaderboards are read from the database until it reconnects");
            }
            finally
            {
                versions.Disconnected();
            }
            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        // Its own unpooled connection: it stays open for the life of the site.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => versions.Notified(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {LeaderboardTriggers.Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);

        var tracks = new List<(int, string, long)>();
        await using (var read = new NpgsqlCommand("SELECT id, slug, leaderboard_version FROM tracks", connection))
        await using (var reader = await read.ExecuteReaderAsync(stoppingToken))
        {
            while (await reader.ReadAsync(stoppingToken)) tracks.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2)));
        }
        versions.Connected(tracks);
        logger.LogDebug("Listening for leaderboard changes on {Count} tracks", tracks.Count);
        while (true) await connection.WaitAsync(stoppingToken);
    }
}
