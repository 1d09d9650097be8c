using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Leaderboard.Jobs;

/// <summary>
/// Makes sure no run is stuck. Every <see cref="WorkerOptions.ReconcileSeconds"/> each worker node looks at every run
/// in <c>Running</c>/<c>Evaluating</c>: a run whose worker no longer holds it — the node sent no heartbeat for
/// <see cref="WorkerOptions.NodeLostAfter"/>, or its heartbeats no longer list the run (its job ended without a final
/// state, the node restarted) — goes back to the queue with the reason, to resume from its last checkpoint (or fail
/// at the attempt cap, which the next attempt checks). A queued run whose Hangfire job is gone gets a new job. Every
/// node runs it; the fenced updates make two nodes acting on one run harmless.
/// </summary>
public sealed class RunReconciler(
    IDbContextFactory<LeaderboardDbContext> dbFactory,
    RunStore store,
    RunQueue queue,
    NodeState node,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<RunReconciler> logger) : BackgroundService
{
    /// <summary>
    /// What a run's worker looked like when this node first watched the run at its attempt, and how many passes since
    /// found it silent. Two passes are needed: one right after a database outage may come before the worker's first beat.
    /// </summary>
    private sealed record Watch(DateTimeOffset Since, DateTimeOffset? WorkerLastSeen, int SilentPasses = 0);

    private readonly Dictionary<(long RunId, int Attempt), Watch> _watched = [];
    private readonly Dictionary<long, string?> _queuedWithoutJob = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReconcileSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception exception) when (DatabaseOutage.IsOutage(exception))
            {
                // Heartbeats stop too while the database is down: start watching afresh once it is back.
                _watched.Clear();
                _queuedWithoutJob.Clear();
                logger.LogWarning("Reconciler: the database is unreachable ({Error}); next pass in {Seconds} s", exception.Message, options.Value.ReconcileSeconds);
            }
        }
    }

    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Evaluating)
            .Select(r => new { r.Id, r.Attempt, r.Worker })
            .ToListAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().ToDictionaryAsync(n => n.Name, cancellationToken);
        var now = clock.GetUtcNow();
        var seen = new HashSet<(long, int)>();
        foreach (var run in active)
        {
            var key = (run.Id, run.Attempt);
            seen.Add(key);
            var worker = run.Worker is null ? null : nodes.GetValueOrDefault(run.Worker);
            if (run.Worker == node.Name && node.IsRunning(run.Id)) continue;
            if (!_watched.TryGetValue(key, out var watch))
            {
                _watched[key] = new(now, worker?.LastSeen);
                continue;
            }
            string? lost = null;
            if (worker is null)
                lost = $"its worker {run.Worker ?? "(none)"} is not registered";
            else if (worker.LastSeen != watch.WorkerLastSeen)
            {
                // A heartbeat since the first look: the node is alive; it holds the run if it lists it.
                if (worker.CurrentRunIds.Contains(run.Id)) _watched[key] = new(now, worker.LastSeen);
                else lost = $"its worker {run.Worker} is alive but no longer runs it (the job ended without a final state, or the worker restarted)";
            }
            else if (watch.SilentPasses >= 1 && now - watch.Since > options.Value.NodeLostAfter)
                lost = $"its worker {run.Worker} sent no heartbeat for {(now - worker.LastSeen).TotalSeconds:F0} s";
            else
                _watched[key] = watch with { SilentPasses = watch.SilentPasses + 1 };
            if (lost is null) continue;

            _watched.Remove(key);
            var reason = $"Platform fault: {lost}; re-queued automatically during attempt {run.Attempt} (noticed by {node.Name}), it resumes from its last checkpoint.";
            if (!await store.ReleaseAsync(run.Id, run.Attempt, reason, cancellationToken)) continue;
            logger.LogWarning("Run {RunId}: {Reason}", run.Id, reason);
            await EnqueueAsync(run.Id, run.Attempt, expectedJobId: null, cancellationToken);
        }
        foreach (var key in _watched.Keys.Where(k => !seen.Contains(k)).ToList()) _watched.Remove(key);
        await RequeueOrphanedQueuedRunsAsync(db, cancellationToken);
    }

    /// <summary>
    /// A queued run needs a pending Hangfire job; one whose job is gone (its enqueue failed in an outage, the job was
    /// deleted in the dashboard) gets a new one once two passes agree.
    /// </summary>
    private async Task RequeueOrphanedQueuedRunsAsync(LeaderboardDbContext db, CancellationToken cancellationToken)
    {
        var queued = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Queued && !r.CancelRequested)
            .Select(r => new { r.Id, r.Attempt, r.JobId })
            .ToListAsync(cancellationToken);
        var suspects = new Dictionary<long, string?>();
        foreach (var run in queued)
        {
            if (run.JobId is { } jobId && queue.IsPending(jobId)) continue;
            if (_queuedWithoutJob.TryGetValue(run.Id, out var earlier) && earlier == run.JobId)
            {
                logger.LogWarning("Run {RunId}: queued without a pending job ({JobId}); queueing it again", run.Id, run.JobId ?? "none");
                await EnqueueAsync(run.Id, run.Attempt, run.JobId, cancellationToken);
                continue;
            }
            suspects[run.Id] = run.JobId;
        }
        _queuedWithoutJob.Clear();
        foreach (var (id, jobId) in suspects) _queuedWithoutJob[id] = jobId;
    }

    private async Task EnqueueAsync(long runId, int attempt, string? expectedJobId, CancellationToken cancellationToken)
    {
        var run = await store.LoadAsync(runId, cancellationToken);
        if (run is null) return;
        var jobId = queue.Enqueue(runId, run.Submission.Track.Hardware);
        // Claimed or re-queued by someone else meanwhile (maybe by this very job): a job that finds the run taken does nothing.
        await store.SetQueuedJobAsync(runId, attempt, expectedJobId, jobId, cancellationToken);
    }
}
