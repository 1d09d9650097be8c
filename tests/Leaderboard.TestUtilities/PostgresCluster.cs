using System.Diagnostics;

namespace Leaderboard.TestUtilities;

/// <summary>
/// A private PostgreSQL cluster of one test (Debian's server binaries, 127.0.0.1 only), which the test may stop and
/// start to simulate a database outage without touching the cluster the other tests share. Port: LB_FAULT_PG_PORT
/// (default 54363). Deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    public int Port { get; }

    /// <summary>
    /// The maintenance database, for <see cref="TestDatabase.CreateAsync"/>. Named after the cluster's folder, so that no
    /// pooled connection to an earlier test's cluster on the same port is handed out.
    /// </summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=lb;Database=postgres;Application Name={Path.GetFileName(_dir)}";

    private PostgresCluster(string dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    public static async Task<PostgresCluster> CreateAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists)
                      .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
                  ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package postgresql).");
        var port = int.TryParse(Environment.GetEnvironmentVariable("LB_FAULT_PG_PORT"), out var p) ? p : 54363;
        var dir = Directory.CreateTempSubdirectory("lb-fault-pg-").FullName;
        var cluster = new PostgresCluster(dir, bin, port);
        // initdb and postgres refuse to run as root: the cluster belongs to the postgres user then.
        if (Environment.UserName == "root") await RunAsync("chown", "postgres:postgres", dir);
        await cluster.AsOwnerAsync("initdb", "-D", dir, "-U", "lb", "--auth=trust", "-E", "UTF8", "--no-locale");
        await cluster.StartAsync();
        return cluster;
    }

    public Task StartAsync() => AsOwnerAsync("pg_ctl", "-D", _dir, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dir} -c max_connections=200 -c fsync=off -c full_page_writes=off", "start");

    /// <summary>Stops the server as an operator's restart does: connections are closed, clients see errors until it is back.</summary>
    public Task StopAsync() => AsOwnerAsync("pg_ctl", "-D", _dir, "-m", "fast", "-w", "stop");

    private Task AsOwnerAsync(string tool, params string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AsOwnerAsync("pg_ctl", "-D", _dir, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }
        Directory.Delete(_dir, recursive: true);
    }
}
