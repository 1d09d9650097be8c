using Leaderboard.Data;
using Leaderboard.Data.Entities;
using Leaderboard.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Leaderboard.Web.Features.Runs;

public enum CancelOutcome { Cancelled, Requested, NotFound, AlreadyFinished }

/// <summary>Cancels a run: a queued one is taken off the queue at once; a running one is stopped on its worker within seconds.</summary>
public sealed class RunCancellation(IDbContextFactory<LeaderboardDbContext> dbFactory, RunQueue queue, TimeProvider clock)
{
    public async Task<CancelOutcome> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        var outcome = CancelOutcome.NotFound;
        string? jobId = null;
        var found = await dbFactory.UpdateRunAsync(runId, (_, run) =>
        {
            if (run.IsFinished)
            {
                outcome = CancelOutcome.AlreadyFinished;
                return false;
            }
            run.CancelRequested = true;
            jobId = run.JobId;
            outcome = CancelOutcome.Requested;
            if (run.Status == RunStatus.Queued)
            {
                run.Status = RunStatus.Cancelled;
                run.FailureReason = "Cancelled by its owner before it started.";
                run.FailureClass = null;
                run.FinishedAt = clock.GetUtcNow();
                outcome = CancelOutcome.Cancelled;
            }
            return true;
        }, cancellationToken);
        if (!found) return outcome;
        // Deleting the job keeps a queued run from ever starting and fires a running one's token on its worker (within
        // a second); the worker also sees CancelRequested at its next flush.
        if (jobId is not null) queue.Delete(jobId);
        return outcome;
    }
}
