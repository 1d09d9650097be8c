using Leaderboard.Data;
using Leaderboard.TestUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs.Tests;

/// <summary>A node measures its class's reference workload with the real trainer and its heartbeat stores the score with its hardware fingerprint.</summary>
public sealed class NodeCalibrationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private DbFactory _dbFactory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("lbjobs");
        _dbFactory = new DbFactory(_database.ConnectionString);
        await using var db = _dbFactory.CreateDbContext();
        await db.MigrateAndSeedAsync(TimeProvider.System);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_cpu_node_measures_the_reference_workload_and_its_row_carries_the_score_and_its_CPU()
    {
        var options = Options.Create(new WorkerOptions { NodeName = "calibrated-node", NvidiaSmi = "/nonexistent/nvidia-smi" });
        var node = new NodeState("calibrated-node", NodeHardware.Discover(options.Value, NullLogger.Instance));
        using var calibration = new NodeCalibration(node, options, TimeProvider.System, NullLogger<NodeCalibration>.Instance);

        var measured = await calibration.MeasureAsync(default);
        node.Calibrated(measured);
        using var heartbeat = new NodeHeartbeat(node, _dbFactory, options, TimeProvider.System, NullLogger<NodeHeartbeat>.Instance);
        await heartbeat.BeatAsync(default);

        Assert.True(measured.Score > 0, $"score {measured.Score}");
        Assert.Equal("--model deit_tiny --img 32 --batch 32 --steps 20 --warmup 3 --precision fp32 --classes 10 --device cpu", measured.Workload);
        Assert.True(node.FirstCalibration.IsCompletedSuccessfully);
        await using var db = _dbFactory.CreateDbContext();
        var row = await db.Nodes.SingleAsync(n => n.Name == "calibrated-node");
        Assert.Equal(measured.Score, row.CalibrationScore);
        Assert.NotNull(row.CalibratedAt);
        Assert.Equal((NodeHardware.ReadCpuModel(), Environment.ProcessorCount), (row.CpuModel, row.CpuCores));
    }

    [Fact]
    public void The_reference_workload_is_fixed_per_hardware_class()
    {
        Assert.Contains("deit_small", NodeCalibration.Workload("gpu"));
        Assert.Contains("bf16", NodeCalibration.Workload("gpu"));
        Assert.Contains("deit_tiny", NodeCalibration.Workload("cpu"));
    }
}
