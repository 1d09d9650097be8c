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

    public async Task UpdateAsync(long runId, Action<Run> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        change(run);
        await db.SaveChangesAsync(cancellationToken);
    }

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
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        var latest = events[^1];
        run.Elapsed = latest.Elapsed;
        if (events.LastOrDefault(e => e.Event == "step") is { } step)
        {
            run.Step = step.Step;
            run.Epoch = step.Epoch;
            run.ImageSize = step.ImageSize;
            run.Loss = step.Loss;
            run.ImagesPerSecond = step.ImagesPerSecond;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task CompleteAsync(long runId, Result result, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, cancellationToken);
        result.RunId = runId;
        result.CreatedAt = clock.GetUtcNow();
        db.Results.Add(result);
        run.Status = RunStatus.Completed;
        run.FinishedAt = result.CreatedAt;
        await db.SaveChangesAsync(cancellationToken);
    }
}
