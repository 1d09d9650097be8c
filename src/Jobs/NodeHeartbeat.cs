using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>Registers this worker node as a row of the nodes table and keeps it current (runs, last seen).</summary>
public sealed class NodeHeartbeat(NodeState node, IDbContextFactory<LeaderboardDbContext> dbFactory, IOptions<WorkerOptions> options, TimeProvider clock,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception))
            {
                // The worker and its runs go on; the node shows offline until the database is back.
                logger.LogWarning("Heartbeat of node {Node} failed: the database is unreachable ({Error})", node.Name, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Nodes.SingleOrDefaultAsync(n => n.Name == node.Name, cancellationToken);
        var hardware = node.Hardware;
        if (row is null)
        {
            row = new Node { Name = node.Name, HardwareClass = hardware.HardwareClass, PlatformVersion = CodeVersion.Current, RuntimeVersion = Environment.Version.ToString() };
            db.Nodes.Add(row);
        }
        row.HardwareClass = hardware.HardwareClass;
        row.Slots = hardware.Slots;
        row.GpuModel = hardware.GpuModel;
        row.GpuCount = hardware.GpuIndexes.Count;
        row.GpuMemoryMib = hardware.GpuMemoryMib;
        row.DriverVersion = hardware.DriverVersion;
        row.CudaVersion = hardware.CudaVersion;
        row.GpuPowerLimitWatts = hardware.PowerLimitWatts;
        row.CpuModel = hardware.CpuModel;
        row.CpuCores = hardware.CpuCores;
        row.CalibrationScore = node.Calibration?.Score;
        row.CalibratedAt = node.Calibration?.MeasuredAt;
        row.PlatformVersion = CodeVersion.Current;
        row.RuntimeVersion = Environment.Version.ToString();
        row.CurrentRunIds = node.CurrentRunIds;
        row.StartedAt = node.StartedAt;
        row.LastSeen = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}
