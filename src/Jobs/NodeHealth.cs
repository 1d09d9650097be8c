using System.Data.Common;
using Leaderboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>What <c>GET /health/node</c> answers: this node, its row in the nodes table, its GPUs, and what is wrong.</summary>
public sealed record NodeHealthReport(
    bool Healthy,
    IReadOnlyList<string> Problems,
    string Name,
    string HardwareClass,
    int Slots,
    long[] CurrentRunIds,
    DateTimeOffset StartedAt,
    NodeRowReport? Row,
    IReadOnlyList<GpuReport> Gpus);

/// <summary>The node's row as the site and the queue view see it.</summary>
public sealed record NodeRowReport(DateTimeOffset LastSeen, double SecondsSinceHeartbeat, bool Online, long[] CurrentRunIds, string PlatformVersion, string? DriverVersion);

/// <summary>One of the node's GPUs: visible means nvidia-smi lists it now.</summary>
public sealed record GpuReport(string Index, string? Name, int? MemoryMib, bool Visible);

/// <summary>
/// A worker node's own health: its row is in the nodes table and fresh (the heartbeat writes it, the queue view counts
/// a node silent for 3 heartbeats as offline), and nvidia-smi still lists every GPU it started with (a GPU that fell
/// off the bus would fail every run given to it).
/// </summary>
public sealed class NodeHealth(NodeState node, IDbContextFactory<LeaderboardDbContext> dbFactory, IOptions<WorkerOptions> options, TimeProvider clock,
    ILogger<NodeHealth> logger)
{
    public async Task<NodeHealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var row = await ReadRowAsync(problems, cancellationToken);
        var gpus = CheckGpus(problems);
        var hardware = node.Hardware;
        return new NodeHealthReport(problems.Count == 0, problems, node.Name, hardware.HardwareClass, hardware.Slots, node.CurrentRunIds,
            node.StartedAt, row, gpus);
    }

    private async Task<NodeRowReport?> ReadRowAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var heartbeat = options.Value.HeartbeatSeconds;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Name == node.Name, cancellationToken);
            if (row is null)
            {
                problems.Add($"Node '{node.Name}' has no row in the nodes table yet (the heartbeat writes it every {heartbeat:0.#} s).");
                return null;
            }
            var silence = (clock.GetUtcNow() - row.LastSeen).TotalSeconds;
            var online = silence <= 3 * heartbeat;
            if (!online) problems.Add($"No heartbeat for {silence:0} s: the site shows this node offline (after 3 × Worker__HeartbeatSeconds = {3 * heartbeat:0.#} s).");
            return new NodeRowReport(row.LastSeen, Math.Round(silence, 1), online, row.CurrentRunIds, row.PlatformVersion, row.DriverVersion);
        }
        catch (DbException exception)
        {
            logger.LogWarning(exception, "Node health: the database cannot be read");
            problems.Add($"The database cannot be reached: {exception.Message}");
            return null;
        }
    }

    private List<GpuReport> CheckGpus(List<string> problems)
    {
        var own = node.Hardware.GpuIndexes;
        if (own.Count == 0) return [];
        var query = NodeHardware.QueryGpus(options.Value.NvidiaSmi);
        if (query.Csv is null)
        {
            problems.Add($"nvidia-smi no longer answers ({query.Failure}): this node's GPUs cannot be checked.");
            return [.. own.Select(index => new GpuReport(index, null, null, Visible: false))];
        }
        var visible = NodeHardware.ParseGpus(query.Csv).ToDictionary(g => g.Index);
        var reports = own.Select(index => visible.TryGetValue(index, out var gpu)
            ? new GpuReport(index, gpu.Name, gpu.MemoryMib, Visible: true)
            : new GpuReport(index, null, null, Visible: false)).ToList();
        foreach (var lost in reports.Where(g => !g.Visible))
            problems.Add($"GPU {lost.Index} is no longer listed by nvidia-smi: runs given to it would fail. Restart the node once its GPUs are back.");
        return reports;
    }
}
