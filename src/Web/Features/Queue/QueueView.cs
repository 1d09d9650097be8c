using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leaderboard.Web.Features.Queue;

public sealed record NodeRunView(long RunId, long SubmissionId, string SubmissionName, string Track, string Status, DateTimeOffset? StartedAt,
    DateTimeOffset? Deadline, double? Elapsed, DateTimeOffset? ExpectedFinish);

public sealed record NodeView(string Name, string HardwareClass, bool Online, int Slots, string? GpuModel, int GpuCount, int? GpuMemoryMib,
    string? DriverVersion, string PlatformVersion, string RuntimeVersion, DateTimeOffset StartedAt, DateTimeOffset LastSeen, IReadOnlyList<NodeRunView> Runs,
    string? CpuModel = null, int CpuCores = 0, double? CalibrationScore = null, DateTimeOffset? CalibratedAt = null);

/// <param name="Position">1 = next to start among the runs of its hardware class.</param>
/// <param name="EstimatedStart">Null while no online node serves its hardware class.</param>
/// <param name="Note">Why it is queued again, when a platform fault re-queued it.</param>
public sealed record QueuedRunView(long RunId, long SubmissionId, string SubmissionName, string Track, string HardwareClass, DateTimeOffset QueuedAt,
    int Attempt, int Position, DateTimeOffset? EstimatedStart, string? Note);

public sealed record QueueSnapshot(DateTimeOffset Now, IReadOnlyList<NodeView> Nodes, IReadOnlyList<QueuedRunView> Queue)
{
    public QueuedRunView? Find(long runId) => Queue.FirstOrDefault(q => q.RunId == runId);

    /// <summary>Equal for snapshots a reader would see as the same (the clock and heartbeats within a minute aside).</summary>
    public string ChangeKey => string.Join('|',
        Nodes.Select(n => $"{n.Name},{n.Online},{n.LastSeen:yyyyMMddHHmm},{string.Join(';', n.Runs.Select(r => $"{r.RunId}:{r.Status}"))}")
            .Concat(Queue.Select(q => $"{q.RunId},{q.Position},{q.EstimatedStart:O}")));
}

/// <summary>
/// The worker fleet and the queue as they are now: each node with what it runs, and each queued run's position and
/// estimated start. The estimate gives every slot of the online nodes serving a class (one per GPU) to the queued runs
/// in order: a busy slot frees at its run's expected finish (the deadline, or sooner when the pre-flight's throughput
/// says the recipe's epochs end sooner) plus the grace, and a run holds a slot for its track's budget.
/// </summary>
public sealed class QueueView(IDbContextFactory<LeaderboardDbContext> dbFactory, IOptions<WorkerOptions> options, TimeProvider clock)
{
    private static readonly RunStatus[] Active = [RunStatus.Running, RunStatus.Evaluating];

    public async Task<QueueSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var onlineSince = now - TimeSpan.FromSeconds(3 * options.Value.HeartbeatSeconds);
        var nodes = await db.Nodes.AsNoTracking().OrderBy(n => n.HardwareClass).ThenBy(n => n.Name).ToListAsync(cancellationToken);
        var active = await db.Runs.AsNoTracking().Where(r => Active.Contains(r.Status))
            .Select(r => new { r.Worker, View = new NodeRunView(r.Id, r.SubmissionId, r.Submission.Name, r.Submission.Track.Slug, r.Status.ToString(), r.StartedAt, r.Deadline, r.Elapsed, r.ExpectedFinish) })
            .ToListAsync(cancellationToken);
        var queued = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Queued).OrderBy(r => r.QueuedAt).ThenBy(r => r.Id)
            .Select(r => new { r.Id, r.SubmissionId, r.Submission.Name, r.Submission.Track.Slug, r.Submission.Track.Hardware, r.Submission.Track.BudgetSeconds, r.QueuedAt, r.Attempt, r.FailureReason })
            .ToListAsync(cancellationToken);

        var nodeViews = nodes.Select(n => new NodeView(n.Name, n.HardwareClass, n.LastSeen >= onlineSince, n.Slots, n.GpuModel, n.GpuCount, n.GpuMemoryMib,
            n.DriverVersion, n.PlatformVersion, n.RuntimeVersion, n.StartedAt, n.LastSeen,
            [.. active.Where(a => a.Worker == n.Name).Select(a => a.View)], n.CpuModel, n.CpuCores, n.CalibrationScore, n.CalibratedAt)).ToList();

        var grace = TimeSpan.FromSeconds(options.Value.GraceSeconds);
        var freeAt = nodeViews.Where(n => n.Online).GroupBy(n => n.HardwareClass).ToDictionary(g => g.Key, g =>
        {
            var slots = new PriorityQueue<DateTimeOffset, DateTimeOffset>();
            foreach (var node in g)
            {
                var busy = node.Runs.Select(r => Max(now, (r.ExpectedFinish ?? r.Deadline ?? now) + grace)).ToList();
                foreach (var time in busy) slots.Enqueue(time, time);
                for (var free = busy.Count; free < node.Slots; free++) slots.Enqueue(now, now);
            }
            return slots;
        });
        var positions = new Dictionary<string, int>();
        var queue = new List<QueuedRunView>();
        foreach (var run in queued)
        {
            var position = positions[run.Hardware] = positions.GetValueOrDefault(run.Hardware) + 1;
            DateTimeOffset? start = null;
            if (freeAt.TryGetValue(run.Hardware, out var slots) && slots.Count > 0)
            {
                var slot = slots.Dequeue();
                start = slot;
                var end = slot + TimeSpan.FromSeconds(run.BudgetSeconds) + grace;
                slots.Enqueue(end, end);
            }
            queue.Add(new QueuedRunView(run.Id, run.SubmissionId, run.Name, run.Slug, run.Hardware, run.QueuedAt, run.Attempt, position, start, run.FailureReason));
        }
        return new QueueSnapshot(now, nodeViews, queue);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
