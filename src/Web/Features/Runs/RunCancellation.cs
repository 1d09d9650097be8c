using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Runs;

public enum CancelOutcome { Cancelled, Requested, NotFound, AlreadyFinished }

/// <summary>Cancels a run: a queued one is taken off the queue at once; a running one is interrupted on its worker.</summary>
public sealed class RunCancellation(IDbContextFactory<LeaderboardDbContext> dbFactory, RunQueue queue, TimeProvider clock)
{
    public async Task<CancelOutcome> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null) return CancelOutcome.NotFound;
        if (run.IsFinished) return CancelOutcome.AlreadyFinished;
        run.CancelRequested = true;
        if (run.Status == RunStatus.Queued)
        {
            run.Status = RunStatus.Cancelled;
            run.FailureReason = "Cancelled by its owner before it started.";
            run.FinishedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        if (run.Status == RunStatus.Cancelled)
        {
            await queue.RemoveAsync(runId, cancellationToken);
            return CancelOutcome.Cancelled;
        }
        await queue.InterruptAsync(runId, cancellationToken);
        return CancelOutcome.Requested;
    }
}
