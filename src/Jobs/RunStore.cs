using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Training.Progress;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Jobs;

/// <summary>A run's state changes and progress rows, each saved in its own short unit of work.</summary>
public sealed class RunStore(IDbContextFactory<LeaderboardDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Run?> LoadAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking()
            .Include(r => r.Submission).ThenInclude(s => s.Track)
            .SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>Whether the run's owner asked to cancel it (true when the run is gone).</summary>
    public async Task<bool> IsCancelRequestedAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var flags = await db.Runs.Where(r => r.Id == runId).Select(r => (bool?)r.CancelRequested).SingleOrDefaultAsync(cancellationToken);
        return flags ?? true;
    }

    /// <summary>Applies a change to the run's latest state; a concurrent change (a cancel, say) makes it re-read and re-apply.</summary>
    public Task UpdateAsync(long runId, Action<Run> change, CancellationToken cancellationToken) =>
        dbFactory.UpdateRunAsync(runId, (_, run) => { change(run); return true; }, cancellationToken);

    /// <summary>Moves a queued (or recovering) run to Running; false when it was cancelled or finished meanwhile.</summary>
    public Task<bool> TryStartAsync(long runId, Action<Run> start, CancellationToken cancellationToken) =>
        dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished || run.CancelRequested) return false;
            start(run);
            return true;
        }, cancellationToken);

    public Task FinishAsync(long runId, RunStatus status, string? reason, CancellationToken cancellationToken) =>
        UpdateAsync(runId, run =>
        {
            run.Status = status;
            run.FailureReason = reason;
            run.FinishedAt = clock.GetUtcNow();
        }, cancellationToken);

    /// <summary>Stores progress lines and copies the latest step's numbers onto the run.</summary>
    public async Task AppendProgressAsync(long runId, IReadOnlyList<ProgressEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
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
        await db.SaveChangesAsync(cancellationToken);
        // Only the progress columns, without the row-version check: progress never overwrites a state change.
        var latest = events[^1];
        var step = events.LastOrDefault(e => e.Event == "step");
        var runs = db.Runs.Where(r => r.Id == runId);
        if (step is null)
        {
            await runs.ExecuteUpdateAsync(s => s.SetProperty(r => r.Elapsed, latest.Elapsed), cancellationToken);
            return;
        }
        await runs.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Elapsed, latest.Elapsed)
            .SetProperty(r => r.Step, step.Step)
            .SetProperty(r => r.Epoch, step.Epoch)
            .SetProperty(r => r.ImageSize, step.ImageSize)
            .SetProperty(r => r.Loss, step.Loss)
            .SetProperty(r => r.ImagesPerSecond, step.ImagesPerSecond), cancellationToken);
    }

    /// <summary>Records the result and completes the run, unless its owner cancelled it while it was being evaluated.</summary>
    public Task<bool> CompleteAsync(long runId, Result result, CancellationToken cancellationToken) =>
        dbFactory.UpdateRunAsync(runId, (db, run) =>
        {
            if (run.CancelRequested) return false;
            var now = clock.GetUtcNow();
            result.RunId = runId;
            result.CreatedAt = now;
            db.Results.Add(result);
            run.Status = RunStatus.Completed;
            run.FinishedAt = now;
            return true;
        }, cancellationToken);
}
