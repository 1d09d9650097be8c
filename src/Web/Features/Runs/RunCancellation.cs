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
        var outcome = CancelOutcome.NotFound;
        var found = await dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished)
            {
                outcome = CancelOutcome.AlreadyFinished;
                return false;
            }
            run.CancelRequested = true;
            outcome = CancelOutcome.Requested;
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Cancelled;
                run.FailureReason = "Cancelled by its owner before it started.";
                run.FinishedAt = clock.GetUtcNow();
                outcome = CancelOutcome.Cancelled;
            }
            return true;
        }, cancellationToken);
        if (!found) return outcome;
        if (outcome == CancelOutcome.Cancelled)
        {
            await queue.RemoveAsync(runId, cancellationToken);
            return CancelOutcome.Cancelled;
        }
        await queue.InterruptAsync(runId, cancellationToken);
        return CancelOutcome.Requested;
    }
}
