using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Progress;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Jobs;

/// <summary>What a flush of a run's progress learnt: whether the run is still this attempt's, and whether its owner cancelled it.</summary>
public readonly record struct FlushOutcome(bool StillOwned, bool CancelRequested);

/// <summary>
/// A run's state changes and progress rows, each saved in its own short unit of work. Every write after a worker has
/// claimed a run is fenced by the attempt it claimed: once another attempt owns the run, the write does nothing.
/// While the database is unreachable (restart, failover, network) every operation waits and retries with backoff until
/// it returns or <c>cancellationToken</c> fires: a run outlives a database outage instead of dying on its next write.
/// </summary>
public sealed class RunStore(IDbContextFactory<LeaderboardDbContext> dbFactory, TimeProvider clock, DatabaseRetry retry)
{
    private const int MaxLogLineLength = 4000;

    public Task<Run?> LoadAsync(long runId, CancellationToken cancellationToken) =>
        retry.RunAsync($"reading run {runId}", async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Runs.AsNoTracking()
                .Include(r => r.Submission).ThenInclude(s => s.Track)
                .SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        }, cancellationToken);

    /// <summary>The node row of a worker (its last heartbeat and the runs it holds); null when it never registered.</summary>
    public Task<Node?> LoadNodeAsync(string name, CancellationToken cancellationToken) =>
        retry.RunAsync($"reading node {name}", async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Name == name, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Hands a run that is still <c>Running</c> or <c>Evaluating</c> at <paramref name="attempt"/> back to the queue
    /// (its worker no longer holds it); false when it moved on meanwhile.
    /// </summary>
    public Task<bool> ReleaseAsync(long runId, int attempt, string reason, CancellationToken cancellationToken) =>
        retry.RunAsync($"re-queueing run {runId}", () => dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.Attempt != attempt || run.Status is not (RunStatus.Running or RunStatus.Evaluating)) return false;
            run.Status = RunStatus.Queued;
            run.FailureClass = FailureClass.Platform;
            run.FailureReason = reason;
            run.JobId = null;
            return true;
        }, cancellationToken), cancellationToken);

    /// <summary>Points a queued run at its new Hangfire job, unless it moved on (claimed, cancelled) meanwhile.</summary>
    public Task<bool> SetQueuedJobAsync(long runId, int attempt, string? expectedJobId, string jobId, CancellationToken cancellationToken) =>
        retry.RunAsync($"recording the job of run {runId}", () => dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.Attempt != attempt || run.Status != RunStatus.Queued || run.JobId != expectedJobId) return false;
            run.JobId = jobId;
            return true;
        }, cancellationToken), cancellationToken);

    /// <summary>
    /// Claims the run for a new attempt (the one after <paramref name="seenAttempt"/>): false when it finished, was
    /// cancelled or was claimed by another worker since it was read.
    /// </summary>
    public Task<bool> TryClaimAsync(long runId, int seenAttempt, Action<Run> claim, CancellationToken cancellationToken) =>
        retry.RunAsync($"claiming run {runId}", () => dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished || run.CancelRequested || run.Attempt != seenAttempt) return false;
            claim(run);
            run.Attempt = seenAttempt + 1;
            return true;
        }, cancellationToken), cancellationToken);

    /// <summary>Applies a change while the run is still <paramref name="attempt"/>'s and not finished; false otherwise.</summary>
    public Task<bool> UpdateOwnedAsync(long runId, int attempt, Action<Run> change, CancellationToken cancellationToken) =>
        retry.RunAsync($"updating run {runId}", () => dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.Attempt != attempt || run.IsFinished) return false;
            change(run);
            return true;
        }, cancellationToken), cancellationToken);

    public Task<bool> FinishAsync(long runId, int attempt, RunStatus status, string? reason, FailureClass? failureClass, CancellationToken cancellationToken) =>
        UpdateOwnedAsync(runId, attempt, run =>
        {
            run.Status = status;
            run.FailureReason = reason;
            run.FailureClass = failureClass;
            run.FinishedAt = clock.GetUtcNow();
        }, cancellationToken);

    /// <summary>
    /// Stores progress lines and trainer output, copies the latest step's numbers onto the run and keeps the run's log
    /// bounded — all only while the run is still this attempt's.
    /// </summary>
    public Task<FlushOutcome> FlushAsync(long runId, int attempt, IReadOnlyList<ProgressEvent> events, IReadOnlyList<(string Stream, string Text)> lines,
        int maxLogLines, CancellationToken cancellationToken) =>
        retry.RunAsync($"saving the progress of run {runId}", () => TryFlushAsync(runId, attempt, events, lines, maxLogLines, cancellationToken), cancellationToken);

    private async Task<FlushOutcome> TryFlushAsync(long runId, int attempt, IReadOnlyList<ProgressEvent> events, IReadOnlyList<(string Stream, string Text)> lines,
        int maxLogLines, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The fence: this update takes the run's row lock, so a competing claim waits for this transaction, or this one sees its attempt.
        var owned = db.Runs.Where(r => r.Id == runId && r.Attempt == attempt);
        var step = events.LastOrDefault(e => e.Event == "step");
        var updated = step is not null
            ? await owned.ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Elapsed, events[^1].Elapsed)
                .SetProperty(r => r.Step, step.Step)
                .SetProperty(r => r.Epoch, step.Epoch)
                .SetProperty(r => r.ImageSize, step.ImageSize)
                .SetProperty(r => r.Loss, step.Loss)
                .SetProperty(r => r.ImagesPerSecond, step.ImagesPerSecond), cancellationToken)
            : events.Count > 0
                ? await owned.ExecuteUpdateAsync(s => s.SetProperty(r => r.Elapsed, events[^1].Elapsed), cancellationToken)
                : await owned.ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempt, attempt), cancellationToken);
        if (updated == 0) return new(StillOwned: false, CancelRequested: false);

        var now = clock.GetUtcNow();
        db.RunMetrics.AddRange(events.Select(e => new RunMetric
        {
            RunId = runId,
            Event = e.Event,
            Elapsed = e.Elapsed,
            Step = e.Step,
            Epoch = e.Epoch,
            ImageSize = e.ImageSize,
            Loss = e.Loss,
            Lr = e.Lr,
            ImagesPerSecond = e.ImagesPerSecond,
            DataWait = e.DataWait,
            TrainTop1 = e.TrainTop1,
            Message = e.Message,
            RecordedAt = now,
        }));
        db.RunLogLines.AddRange(lines.Select(l => new RunLogLine
        {
            RunId = runId,
            Attempt = attempt,
            Stream = l.Stream,
            Text = l.Text.Length > MaxLogLineLength ? l.Text[..MaxLogLineLength] + " [line truncated]" : l.Text,
            RecordedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        if (lines.Count > 0)
        {
            // Rotation: drop the run's oldest lines beyond the cap.
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                DELETE FROM run_log_lines WHERE run_id = {runId} AND id <= (
                    SELECT id FROM run_log_lines WHERE run_id = {runId} ORDER BY id DESC OFFSET {maxLogLines} LIMIT 1)
                """, cancellationToken);
        }
        var cancelRequested = await db.Runs.Where(r => r.Id == runId).Select(r => r.CancelRequested).SingleAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(StillOwned: true, cancelRequested);
    }

    /// <summary>Records the result and completes the run, unless its owner cancelled it meanwhile or another attempt owns it.</summary>
    public Task<bool> CompleteAsync(long runId, int attempt, Result result, CancellationToken cancellationToken) =>
        retry.RunAsync($"recording the result of run {runId}", () => dbFactory.UpdateRunAsync(runId, (db, run) =>
        {
            if (run.CancelRequested || run.Attempt != attempt || run.IsFinished) return false;
            var now = clock.GetUtcNow();
            result.RunId = runId;
            result.CreatedAt = now;
            db.Results.Add(result);
            run.Status = RunStatus.Completed;
            run.FinishedAt = now;
            run.FailureClass = null;
            run.FailureReason = null;
            return true;
        }, cancellationToken), cancellationToken);
}
