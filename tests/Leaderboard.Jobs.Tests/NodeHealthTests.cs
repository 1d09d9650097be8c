using Leaderboard.Data;
using Leaderboard.TestUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs.Tests;

/// <summary>A node's own health on real PostgreSQL: a fresh row and all its GPUs → healthy; a stale row or a lost GPU → unhealthy, saying which.</summary>
public sealed class NodeHealthTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lb-node-health-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private DbFactory _dbFactory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("lbjobs");
        _dbFactory = new DbFactory(_database.ConnectionString);
        await using var db = _dbFactory.CreateDbContext();
        await db.MigrateAndSeedAsync(TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_node_with_a_fresh_row_and_all_its_GPUs_is_healthy_and_a_lost_GPU_makes_it_unhealthy()
    {
        var options = Options.Create(new WorkerOptions { NodeName = "gpu-node", NvidiaSmi = WriteNvidiaSmi(gpus: 2), HeartbeatSeconds = 5 });
        var node = new NodeState("gpu-node", NodeHardware.Discover(options.Value, NullLogger.Instance));
        using var heartbeat = new NodeHeartbeat(node, _dbFactory, options, _clock, NullLogger<NodeHeartbeat>.Instance);
        await heartbeat.BeatAsync(default);
        var health = new NodeHealth(node, _dbFactory, options, _clock, NullLogger<NodeHealth>.Instance);

        _clock.Advance(TimeSpan.FromSeconds(2));
        var healthy = await health.CheckAsync(default);

        Assert.True(healthy.Healthy, string.Join(" ", healthy.Problems));
        Assert.Equal(("gpu-node", "gpu", 2), (healthy.Name, healthy.HardwareClass, healthy.Slots));
        Assert.Equal((2.0, true), (healthy.Row!.SecondsSinceHeartbeat, healthy.Row.Online));
        Assert.Equal(["0", "1"], healthy.Gpus.Select(g => g.Index));
        Assert.All(healthy.Gpus, g => Assert.Equal(("NVIDIA H100 80GB HBM3", 81559, true), (g.Name, g.MemoryMib, g.Visible)));

        WriteNvidiaSmi(gpus: 1);
        var lost = await health.CheckAsync(default);

        Assert.False(lost.Healthy);
        Assert.Equal([true, false], lost.Gpus.Select(g => g.Visible));
        Assert.Contains(lost.Problems, p => p.StartsWith("GPU 1 is no longer listed by nvidia-smi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_whose_heartbeat_stopped_is_unhealthy_and_says_for_how_long()
    {
        var options = Options.Create(new WorkerOptions { NodeName = "cpu-node", NvidiaSmi = "/nonexistent/nvidia-smi", HeartbeatSeconds = 5 });
        var node = new NodeState("cpu-node", NodeHardware.Discover(options.Value, NullLogger.Instance));
        var health = new NodeHealth(node, _dbFactory, options, _clock, NullLogger<NodeHealth>.Instance);

        var unregistered = await health.CheckAsync(default);
        using var heartbeat = new NodeHeartbeat(node, _dbFactory, options, _clock, NullLogger<NodeHeartbeat>.Instance);
        await heartbeat.BeatAsync(default);
        _clock.Advance(TimeSpan.FromSeconds(60));
        var silent = await health.CheckAsync(default);

        Assert.False(unregistered.Healthy);
        Assert.Contains("no row in the nodes table", Assert.Single(unregistered.Problems));
        Assert.False(silent.Healthy);
        Assert.False(silent.Row!.Online);
        Assert.StartsWith("No heartbeat for 60 s", Assert.Single(silent.Problems));
        Assert.Empty(silent.Gpus);
    }

    private string WriteNvidiaSmi(int gpus)
    {
        var path = Path.Combine(_dir, "nvidia-smi");
        var lines = string.Join("\n", Enumerable.Range(0, gpus).Select(i => $"echo '{i}, NVIDIA H100 80GB HBM3, 81559, 550.54.15'"));
        File.WriteAllText(path, $"#!/usr/bin/env bash\n{lines}\n");
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("Worker nodes run on Linux.");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
