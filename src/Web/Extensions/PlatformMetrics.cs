using System.Globalization;
using System.Text;
using Hangfire;
using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Extensions;

/// <summary>
/// <c>GET /metrics</c> in Prometheus' text format, read from the database at each scrape (so any one web host
/// reports the whole platform): runs by state, jobs waiting in each Hangfire queue, worker nodes by class and
/// whether they are online (seen within 3 heartbeats, as the queue view counts them).
/// </summary>
public sealed class PlatformMetrics(IDbContextFactory<LeaderboardDbContext> dbFactory, JobStorage storage, IOptions<WorkerOptions> options, TimeProvider clock)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";
    private static readonly bool[] OnlineStates = [true, false];

    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Runs.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var onlineSince = clock.GetUtcNow() - TimeSpan.FromSeconds(3 * options.Value.HeartbeatSeconds);
        var nodes = await db.Nodes.GroupBy(n => new { n.HardwareClass, Online = n.LastSeen >= onlineSince })
            .Select(g => new { g.Key.HardwareClass, g.Key.Online, Count = g.Count() }).ToListAsync(cancellationToken);
        var classes = (await db.Tracks.Select(t => t.Hardware).Distinct().ToListAsync(cancellationToken))
            .Union(nodes.Select(n => n.HardwareClass)).Order(StringComparer.Ordinal).ToList();
        var monitoring = storage.GetMonitoringApi();
        var queues = classes.Union(monitoring.Queues().Select(q => q.Name)).Order(StringComparer.Ordinal)
            .Select(queue => (queue, monitoring.EnqueuedCount(queue))).ToList();

        var text = new StringBuilder();
        Gauge(text, "leaderboard_runs", "Runs by state.",
            Enum.GetValues<RunStatus>().Select(s => ($"state=\"{s}\"", (long)(runs.SingleOrDefault(r => r.Status == s)?.Count ?? 0))));
        Gauge(text, "leaderboard_queue_length", "Jobs waiting in each Hangfire queue (one queue per hardware class).",
            queues.Select(q => ($"queue=\"{q.queue}\"", q.Item2)));
        Gauge(text, "leaderboard_nodes", "Worker nodes by hardware class; online: seen within 3 heartbeats.",
            classes.SelectMany(c => OnlineStates.Select(online =>
                ($"hardware_class=\"{c}\",online=\"{(online ? "true" : "false")}\"",
                 (long)(nodes.SingleOrDefault(n => n.HardwareClass == c && n.Online == online)?.Count ?? 0)))));
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, IEnumerable<(string Labels, long Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
            text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}

public static class MetricsEndpoint
{
    public static void MapMetrics(this WebApplication app) =>
        app.MapGet("/metrics", async (PlatformMetrics metrics, CancellationToken cancellationToken) =>
            Results.Text(await metrics.RenderAsync(cancellationToken), PlatformMetrics.ContentType)).ExcludeFromDescription();
}
